import type { BrokerSnapshot } from '../ib/session/brokerSnapshot.ts';
import { withinMs } from './withinMs.ts';

/** The broker's net position in one contract month (months of one symbol apart). */
export interface BrokerPosition {
  account: string;
  symbol: string;
  /** YYYYMM, as the position book keys it. */
  month: string;
  position: number;
}

export interface BrokerPositionsAnswer {
  /** When the broker answered (epoch ms). */
  asOf: number;
  positions: BrokerPosition[];
}

export interface BrokerPositionsOptions {
  /** The broker's truth (IbSession.brokerSnapshot: shared with any reconciliation waiting to ask). */
  snapshot: () => Promise<BrokerSnapshot>;
  /** A position's month from IB's last trade date or month (PositionBook.learnMonthOf). */
  monthOf: (symbol: string, expiry: string | undefined) => Promise<string>;
  now?: () => number;
  /** An answer this recent is used again rather than asking (default 1 s): a polling dashboard costs IB one request a second. */
  maxAgeMs?: number;
  /** How long a read waits for the broker before it answers with what it had (default 2 s). */
  waitMs?: number;
}

/**
 * The broker's positions for `GET /positions`, asked of IB when the last answer is older than
 * `maxAgeMs` (one request at a time, whoever asks). A broker that does not answer in time (offline,
 * slow) leaves the last answer in place: null until it has answered once.
 */
export class BrokerPositions {
  private last: BrokerPositionsAnswer | null = null;
  private asking: Promise<void> | null = null;
  private askedAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: BrokerPositionsOptions) {
    this.now = options.now ?? Date.now;
  }

  async read(): Promise<BrokerPositionsAnswer | null> {
    const now = this.now();
    if (this.last && now - this.last.asOf <= (this.options.maxAgeMs ?? 1_000)) return this.last;
    if (!this.asking) {
      this.askedAt = now;
      this.asking = this.ask().finally(() => (this.asking = null));
    }
    // Every reader waits until the same deadline: while the broker is silent, one wait, not one per request.
    const left = this.askedAt + (this.options.waitMs ?? 2_000) - now;
    if (left > 0) await withinMs(this.asking, left);
    return this.last;
  }

  private async ask(): Promise<void> {
    const snapshot = await this.options.snapshot();
    const asOf = this.now();
    const months = await Promise.all(snapshot.positions.map((p) => this.options.monthOf(p.symbol, p.lastTradeDateOrContractMonth)));
    this.last = { asOf, positions: snapshot.positions.map((p, i) => ({ account: p.account, symbol: p.symbol, month: months[i]!, position: p.position })) };
  }
}
