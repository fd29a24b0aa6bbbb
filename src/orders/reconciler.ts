import type { Logger } from '../log/logger';
import type { IbSession } from '../ib/session/ibSession';
import type { BrokerSnapshot } from '../ib/session/brokerSnapshot';
import type { OrderEvent } from '../machines/order/orderTypes';
import type { BreakRegistry } from './breakRegistry';
import type { OrderStore } from './orderStore';
import type { PositionBook } from './positionBook';

export interface ReconcileReport {
  executions: number;
  applied: number;
  breaks: number;
}

/**
 * Runs on start and on every reconnect: the broker's open orders, executions and positions are
 * matched with the order book by orderRef. Fills missed while down reach their order actors (which
 * apply each execId once); a fill nobody owns, a fill beyond its order, or a position that differs
 * from the book is a break that locks the instrument.
 */
export class Reconciler {
  private seeded = false;

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
    const report: ReconcileReport = { executions: snapshot.executions.length, applied: 0, breaks: 0 };
    const executedByRef = new Map<string, number>();
    for (const execution of snapshot.executions) {
      const symbol = execution.symbol ?? 'unknown';
      const stored = execution.orderRef ? await this.deps.store.load(execution.orderRef) : null;
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
        this.deps.deliver(stored.spec.clientOrderId, { type: 'broker.fill', fill: { execId: execution.execId, quantity: execution.shares, price: execution.price } });
        report.applied += 1;
      }
    }
    // Fills applied just now have not reached the book yet; positions are compared on a quiet pass.
    if (report.applied === 0) report.breaks += await this.comparePositions(snapshot);
    this.deps.logger.info('reconciled with the broker', { ...report, openAtBroker: snapshot.openOrders.length });
    return report;
  }

  private async comparePositions(snapshot: BrokerSnapshot): Promise<number> {
    if (!this.seeded) {
      // The first reconciliation takes the broker's positions as the book's starting point.
      for (const p of snapshot.positions) this.deps.positions.setPosition(p.account, p.symbol, p.position);
      this.seeded = true;
      return 0;
    }
    let breaks = 0;
    for (const p of snapshot.positions) {
      const book = this.deps.positions.position(p.account, p.symbol);
      if (book !== p.position) {
        breaks += await this.breakFor(p.symbol, 'position_mismatch', `${p.account} ${p.symbol}: broker ${p.position}, book ${book}`);
      }
    }
    return breaks;
  }

  private async breakFor(symbol: string, kind: 'unknown_fill' | 'overfill' | 'position_mismatch', detail: string): Promise<number> {
    const added = await this.deps.breaks.record({ symbol, kind, detail, at: new Date().toISOString() });
    if (added) this.deps.logger.error('reconciliation break: instrument locked', { symbol, kind, detail });
    return added ? 1 : 0;
  }
}
