import type { ReconciliationBreak } from './breakRegistry.ts';
import type { BrokerPositionsAnswer } from './brokerPositions.ts';

/** A position as the position book holds it (PositionBook.positions). */
export interface BookPosition {
  account: string;
  symbol: string;
  /** YYYYMM; '' for an order without an expiry and no month known for it. */
  month: string;
  position: number;
}

export interface PositionRow {
  account: string;
  symbol: string;
  contractMonth: string | null;
  /** The broker's net position; null while the broker has not answered. */
  broker: number | null;
  /** The position book's (broker seed plus the executions since). */
  internal: number;
  /** broker − internal; 0 while the broker has not answered. */
  difference: number;
  /** The open reconciliation break of the symbol (breaks are per symbol), if any. */
  break: { reason: string; since: string } | null;
}

export interface BreakRow {
  symbol: string;
  /** The break's kind: unknown_fill, overfill, position_mismatch or foreign_client_order. */
  reason: string;
  detail: string;
  since: string;
}

export interface PositionsView {
  /** When the broker's figures were taken (now when it has not answered). */
  asOf: string;
  positions: PositionRow[];
  breaks: BreakRow[];
}

const keyOf = (p: { account: string; symbol: string; month: string }) => `${p.account}\u0000${p.symbol}\u0000${p.month}`;

/**
 * The book next to the broker, per account, symbol and contract month, with the difference and the
 * open breaks. A month flat on both sides is left out unless its symbol has a break.
 */
export function positionsView(book: Iterable<BookPosition>, broker: BrokerPositionsAnswer | null, breaks: readonly ReconciliationBreak[], nowMs: number): PositionsView {
  const rows = new Map<string, { account: string; symbol: string; month: string; internal: number; broker: number }>();
  const row = (p: { account: string; symbol: string; month: string }) => {
    const key = keyOf(p);
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { account: p.account, symbol: p.symbol, month: p.month, internal: 0, broker: 0 }));
    return found;
  };
  for (const p of book) row(p).internal += p.position;
  for (const p of broker?.positions ?? []) row(p).broker += p.position;
  const breakOf = new Map(breaks.map((b) => [b.symbol, b]));
  const positions = [...rows.values()]
    .filter((r) => r.internal !== 0 || r.broker !== 0 || breakOf.has(r.symbol))
    .sort((a, b) => a.account.localeCompare(b.account) || a.symbol.localeCompare(b.symbol) || a.month.localeCompare(b.month))
    .map((r): PositionRow => {
      const open = breakOf.get(r.symbol);
      return {
        account: r.account,
        symbol: r.symbol,
        contractMonth: r.month === '' ? null : r.month,
        broker: broker ? r.broker : null,
        internal: r.internal,
        difference: broker ? r.broker - r.internal : 0,
        break: open ? { reason: open.kind, since: open.at } : null,
      };
    });
  return {
    asOf: new Date(broker?.asOf ?? nowMs).toISOString(),
    positions,
    breaks: breaks.map((b) => ({ symbol: b.symbol, reason: b.kind, detail: b.detail, since: b.at })),
  };
}
