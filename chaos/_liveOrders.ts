import type { SimOrder, TwsSimulator } from '../src/sim/index.ts';

export interface DoubleLive {
  orderRef: string;
  /** The broker orders (clientId/orderId) live together when the second was accepted. */
  brokerOrders: string[];
  at: number;
}

const brokerKey = (order: SimOrder) => `${order.clientId}/${order.orderId}`;
const ended = (order: SimOrder) => order.status === 'Filled' || order.status === 'Cancelled' || order.status === 'Inactive';

/**
 * Watches the simulator's book as it changes and holds the rule "at most one live broker order
 * per orderRef at any moment": every order the broker accepts is checked against the orders live
 * at that instant. A modify (the same broker order id again) is the same order, not a second one.
 */
export class LiveOrderTracker {
  readonly violations: DoubleLive[] = [];
  /** orderRef -> its live broker orders. */
  private readonly live = new Map<string, Set<string>>();
  /** broker order -> the orderRef it was accepted under. */
  private readonly refOf = new Map<string, string>();
  /** orderRef -> when the broker first had it working. */
  private readonly firstLive = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(sim: TwsSimulator) {
    this.unsubscribe = sim.observeOrders({
      orderSubmitted: (order) => this.submitted(order),
      orderFilled: (order) => {
        if (ended(order)) this.end(order);
      },
      orderCancelled: (order) => this.end(order),
    });
  }

  /** When the broker first had a working order under this orderRef (undefined: never). */
  liveSince(orderRef: string): number | undefined {
    return this.firstLive.get(orderRef);
  }

  isLive(orderRef: string): boolean {
    return (this.live.get(orderRef)?.size ?? 0) > 0;
  }

  stop(): void {
    this.unsubscribe();
  }

  private submitted(order: SimOrder): void {
    const key = brokerKey(order);
    const known = this.refOf.get(key);
    if (known === undefined) {
      this.refOf.set(key, order.orderRef);
      if (ended(order)) return;
      const others = this.live.get(order.orderRef);
      if (others && others.size > 0) {
        this.violations.push({ orderRef: order.orderRef, brokerOrders: [...others, key], at: Date.now() });
      }
      this.add(order.orderRef, key);
      return;
    }
    // A modify of a live order; its orderRef could change with it.
    if (known !== order.orderRef) {
      this.live.get(known)?.delete(key);
      this.refOf.set(key, order.orderRef);
    }
    if (ended(order)) this.end(order);
    else this.add(order.orderRef, key);
  }

  private add(orderRef: string, key: string): void {
    let keys = this.live.get(orderRef);
    if (!keys) this.live.set(orderRef, (keys = new Set()));
    keys.add(key);
    if (!this.firstLive.has(orderRef)) this.firstLive.set(orderRef, Date.now());
  }

  private end(order: SimOrder): void {
    const key = brokerKey(order);
    this.live.get(this.refOf.get(key) ?? order.orderRef)?.delete(key);
  }
}
