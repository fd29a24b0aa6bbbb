import type { Logger } from '../log/logger.ts';
import type { BrokerOrderUpdate, OrderFeed } from '../ib/session/orderFeed.ts';
import type { OrderEvent } from '../machines/orders/orderTypes.ts';
import { orderTracing } from '../tracing/index.ts';

export type OrderEventSink = (clientOrderId: string, event: OrderEvent) => void;

/** Finished orders remembered so their late messages are expected, not dead letters. */
const FINISHED_REMEMBERED = 10_000;

/**
 * Turns broker order updates into order-actor events. Orders are found by orderRef (every IB
 * order carries its clientOrderId there) or by the broker order id they were sent with.
 */
export class OrderRouter {
  private readonly byIbOrderId = new Map<number, string>();
  private readonly byExecId = new Map<string, string>();
  private readonly finished = new Set<string>();
  /** Every commission report, first (fills are published with their commissions). */
  onCommission: (execId: string, commission: number) => void = () => {};
  /** A commission for an order that already finished (IB sends them after the execution). */
  onLateCommission: (clientOrderId: string, execId: string, commission: number) => void = () => {};
  private readonly unsubscribe: () => void;

  constructor(
    feed: OrderFeed,
    private readonly deliver: OrderEventSink,
    private readonly logger: Logger,
    /** An execution nobody owns: a reconciliation break. */
    private readonly onUnknownExecution: (update: Extract<BrokerOrderUpdate, { kind: 'execution' }>) => void = () => {},
  ) {
    this.unsubscribe = feed.subscribe((update) => this.route(update));
  }

  register(ibOrderId: number, clientOrderId: string): void {
    this.byIbOrderId.set(ibOrderId, clientOrderId);
  }

  /** The order reached a final state: later status echoes for it are dropped quietly. */
  retire(clientOrderId: string): void {
    this.finished.add(clientOrderId);
    if (this.finished.size > FINISHED_REMEMBERED) this.finished.delete(this.finished.values().next().value as string);
  }

  private send(owner: string, event: OrderEvent, repeated = false): void {
    if (!this.finished.has(owner)) {
      if (!repeated) orderTracing()?.brokerEvent(owner, event);
      this.deliver(owner, event);
      return;
    }
    if (event.type === 'broker.commission') this.onLateCommission(owner, event.execId, event.commission);
    // IB reports executions again (on every reconnect and executions request): one already routed is expected.
    else if (event.type === 'broker.fill' && !repeated) this.logger.error('fill for a finished order', { orderId: owner, execId: event.fill.execId });
  }

  close(): void {
    this.unsubscribe();
  }

  private owner(orderId: number, orderRef?: string): string | undefined {
    if (orderRef) {
      if (orderId >= 0 && !this.byIbOrderId.has(orderId)) this.byIbOrderId.set(orderId, orderRef);
      return orderRef;
    }
    return this.byIbOrderId.get(orderId);
  }

  private route(update: BrokerOrderUpdate): void {
    switch (update.kind) {
      case 'status': {
        const owner = this.owner(update.orderId);
        if (!owner) return;
        if (/cancel/i.test(update.status)) this.send(owner, { type: 'broker.cancelled', reason: update.status });
        else if (update.status === 'Inactive') this.send(owner, { type: 'broker.rejected', code: 0, reason: 'order inactive at the broker' });
        else this.send(owner, { type: 'broker.acknowledged', status: update.status });
        return;
      }
      case 'open': {
        const owner = this.owner(update.orderId, update.orderRef);
        if (owner) this.send(owner, { type: 'broker.acknowledged', status: update.status ?? 'Submitted' });
        return;
      }
      case 'execution': {
        const owner = this.owner(update.orderId, update.orderRef);
        if (!owner) {
          this.logger.error('execution for an unknown order', { execId: update.execId, orderId: update.orderId, orderRef: update.orderRef });
          this.onUnknownExecution(update);
          return;
        }
        const repeated = this.byExecId.has(update.execId);
        this.byExecId.set(update.execId, owner);
        this.send(owner, { type: 'broker.fill', fill: { execId: update.execId, quantity: update.shares, price: update.price, time: new Date().toISOString() } }, repeated);
        return;
      }
      case 'commission': {
        this.onCommission(update.execId, update.commission);
        const owner = this.byExecId.get(update.execId);
        if (owner) this.send(owner, { type: 'broker.commission', execId: update.execId, commission: update.commission });
        return;
      }
      case 'error': {
        const owner = this.owner(update.orderId);
        if (!owner) return;
        if (update.category === 'order_cancelled') this.send(owner, { type: 'broker.cancelled', reason: update.message });
        // 200 on an order id: IB never accepted it (no such contract), so it is rejected, not in doubt.
        else if (update.category === 'order_rejected' || update.category === 'contract_or_data_error') this.send(owner, { type: 'broker.rejected', code: update.code, reason: update.message });
        else if (update.category === 'cancel_failed') this.send(owner, { type: 'broker.cancelFailed', code: update.code, reason: update.message });
        else if (update.category === 'modify_rejected') this.send(owner, { type: 'broker.modifyRejected', code: update.code, reason: update.message });
        else this.logger.warn('order warning from the broker', { orderId: owner, code: update.code, message: update.message });
        return;
      }
    }
  }
}
