import type { Logger } from '../log/logger';
import type { BrokerOrderUpdate, OrderFeed } from '../ib/session/orderFeed';
import type { OrderEvent } from '../machines/order/orderTypes';

export type OrderEventSink = (clientOrderId: string, event: OrderEvent) => void;

/**
 * Turns broker order updates into order-actor events. Orders are found by orderRef (every IB
 * order carries its clientOrderId there) or by the broker order id they were sent with.
 */
export class OrderRouter {
  private readonly byIbOrderId = new Map<number, string>();
  private readonly byExecId = new Map<string, string>();
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
        if (/cancel/i.test(update.status)) this.deliver(owner, { type: 'broker.cancelled', reason: update.status });
        else if (update.status === 'Inactive') this.deliver(owner, { type: 'broker.rejected', code: 0, reason: 'order inactive at the broker' });
        else this.deliver(owner, { type: 'broker.acknowledged', status: update.status });
        return;
      }
      case 'open': {
        const owner = this.owner(update.orderId, update.orderRef);
        if (owner) this.deliver(owner, { type: 'broker.acknowledged', status: update.status ?? 'Submitted' });
        return;
      }
      case 'execution': {
        const owner = this.owner(update.orderId, update.orderRef);
        if (!owner) {
          this.logger.error('execution for an unknown order', { execId: update.execId, orderId: update.orderId, orderRef: update.orderRef });
          this.onUnknownExecution(update);
          return;
        }
        this.byExecId.set(update.execId, owner);
        this.deliver(owner, { type: 'broker.fill', fill: { execId: update.execId, quantity: update.shares, price: update.price } });
        return;
      }
      case 'commission': {
        const owner = this.byExecId.get(update.execId);
        if (owner) this.deliver(owner, { type: 'broker.commission', execId: update.execId, commission: update.commission });
        return;
      }
      case 'error': {
        const owner = this.owner(update.orderId);
        if (!owner) return;
        if (update.category === 'order_cancelled') this.deliver(owner, { type: 'broker.cancelled', reason: update.message });
        else if (update.category === 'order_rejected') this.deliver(owner, { type: 'broker.rejected', code: update.code, reason: update.message });
        else if (update.category === 'cancel_failed') this.deliver(owner, { type: 'broker.cancelFailed', code: update.code, reason: update.message });
        else this.logger.warn('order warning from the broker', { orderId: owner, code: update.code, message: update.message });
        return;
      }
    }
  }
}
