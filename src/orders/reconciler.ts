import type { Logger } from '../log/logger.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import type { BrokerSnapshot } from '../ib/session/brokerSnapshot.ts';
import type { OrderEvent } from '../machines/orders/orderTypes.ts';
import type { BreakRegistry } from './breakRegistry.ts';
import type { OrderStore } from './orderStore.ts';
import type { PositionBook } from './positionBook.ts';

export interface ReconcileReport {
  executions: number;
  applied: number;
  breaks: number;
  /** A position differed once; it becomes a break only if the next pass sees the same. */
  recheck: boolean;
}

/**
 * Runs on start and on every reconnect: the broker's open orders, executions and positions are
 * matched with the order book by orderRef. Fills missed while down reach their order actors (which
 * apply each execId once); a fill nobody owns, a fill beyond its order, or a position that differs
 * from the book is a break that locks the instrument.
 */
export class Reconciler {
  /** Broker positions and the executions they already include, from the first pass. */
  private seed: { positions: Map<string, number>; execIds: Set<string> } | null = null;
  /** Differences seen on the last pass, by account+symbol: "broker/expected". */
  private suspected = new Map<string, string>();

  constructor(
    private readonly deps: {
      session: IbSession;
      store: OrderStore;
      positions: PositionBook;
      breaks: BreakRegistry;
      deliver: (clientOrderId: string, event: OrderEvent) => void;
      logger: Logger;
    },
  ) {}

  async run(): Promise<ReconcileReport> {
    const snapshot = await this.deps.session.brokerSnapshot();
    const report: ReconcileReport = { executions: snapshot.executions.length, applied: 0, breaks: 0, recheck: false };
    const executedByRef = new Map<string, number>();
    // All at once (one pipelined batch, not one round trip per execution): a takeover waits on this.
    const refs = [...new Set(snapshot.executions.map((execution) => execution.orderRef).filter((ref): ref is string => Boolean(ref)))];
    const storedByRef = new Map(await Promise.all(refs.map(async (ref) => [ref, await this.deps.store.load(ref)] as const)));
    for (const execution of snapshot.executions) {
      const symbol = execution.symbol ?? 'unknown';
      const stored = execution.orderRef ? (storedByRef.get(execution.orderRef) ?? null) : null;
      if (!stored) {
        report.breaks += await this.breakFor(symbol, 'unknown_fill', `execution ${execution.execId} (broker order ${execution.orderId}, orderRef ${execution.orderRef ?? 'none'}) belongs to no known order`);
        continue;
      }
      const total = (executedByRef.get(stored.spec.clientOrderId) ?? 0) + execution.shares;
      executedByRef.set(stored.spec.clientOrderId, total);
      if (total > stored.spec.quantity) {
        report.breaks += await this.breakFor(stored.spec.symbol, 'overfill', `${stored.spec.clientOrderId} executed ${total} of ${stored.spec.quantity}`);
        continue;
      }
      if (!this.deps.store.isTerminal(stored.state)) {
        this.deps.deliver(stored.spec.clientOrderId, { type: 'broker.fill', fill: { execId: execution.execId, quantity: execution.shares, price: execution.price, time: new Date().toISOString() } });
        report.applied += 1;
      }
    }
    const positions = await this.comparePositions(snapshot);
    report.breaks += positions.breaks;
    report.recheck = positions.recheck;
    this.deps.logger.info('reconciled with the broker', { ...report, openAtBroker: snapshot.openOrders.length });
    return report;
  }

  /**
   * Positions are checked within one broker snapshot, so fills still on their way to the book
   * cannot cause false breaks: the broker's position must equal the first pass's position plus
   * every execution since. A difference is a position change no execution explains.
   */
  private async comparePositions(snapshot: BrokerSnapshot): Promise<{ breaks: number; recheck: boolean }> {
    const key = (account: string | undefined, symbol: string | undefined) => `${account ?? ''}\u0000${symbol ?? ''}`;
    if (!this.seed) {
      this.seed = { positions: new Map(), execIds: new Set(snapshot.executions.map((e) => e.execId)) };
      for (const p of snapshot.positions) {
        // Months of one symbol add up: its limit and its breaks are for all of them together.
        this.seed.positions.set(key(p.account, p.symbol), (this.seed.positions.get(key(p.account, p.symbol)) ?? 0) + p.position);
      }
      // IB reports a position's last trade date: its contract month comes from reference data, never from slicing it.
      const positions = this.deps.positions;
      const months = await Promise.all(snapshot.positions.map((p) => positions.learnMonthOf(p.symbol, p.lastTradeDateOrContractMonth)));
      positions.seedFromBroker(
        snapshot.positions.map((p, i) => ({ account: p.account, symbol: p.symbol, month: months[i]!, position: p.position })),
        this.seed.execIds,
      );
      return { breaks: 0, recheck: false };
    }
    const expected = new Map(this.seed.positions);
    for (const e of snapshot.executions) {
      if (this.seed.execIds.has(e.execId)) continue;
      const signed = e.side === 'SLD' ? -e.shares : e.shares;
      expected.set(key(e.account, e.symbol), (expected.get(key(e.account, e.symbol)) ?? 0) + signed);
    }
    // The snapshot's parts are answered one after another, so a fill landing between them shows as
    // a difference once; only a difference that is still there on the next pass is a break.
    let breaks = 0;
    const seen = new Map<string, string>();
    const broker = new Map<string, { account: string; symbol: string; position: number }>();
    for (const p of snapshot.positions) {
      const id = key(p.account, p.symbol);
      const total = broker.get(id) ?? { account: p.account, symbol: p.symbol, position: 0 };
      total.position += p.position;
      broker.set(id, total);
    }
    for (const [id, p] of broker) {
      const want = expected.get(id) ?? 0;
      if (want === p.position) continue;
      const signature = `${p.position}/${want}`;
      seen.set(id, signature);
      if (this.suspected.get(id) === signature) {
        breaks += await this.breakFor(p.symbol, 'position_mismatch', `${p.account} ${p.symbol}: broker ${p.position}, expected ${want} from the executions`);
      }
    }
    const recheck = [...seen].some(([id, signature]) => this.suspected.get(id) !== signature);
    this.suspected = seen;
    return { breaks, recheck };
  }

  private async breakFor(symbol: string, kind: 'unknown_fill' | 'overfill' | 'position_mismatch', detail: string): Promise<number> {
    const added = await this.deps.breaks.record({ symbol, kind, detail, at: new Date().toISOString() });
    if (added) this.deps.logger.error('reconciliation break: instrument locked', { symbol, kind, detail });
    return added ? 1 : 0;
  }
}
