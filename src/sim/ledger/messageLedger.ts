import type { Now } from '../../shared/clock.ts';
/** The order-affecting requests a client can send. */
export type OrderMessageType = 'placeOrder' | 'cancelOrder' | 'reqGlobalCancel';

/** One order at the broker, as a reqGlobalCancel record lists what it cancelled. */
export interface OrderKey {
  clientId: number;
  orderId: number;
  permId: number;
  orderRef: string;
}

/** What a placeOrder asked for (as sent, before any validation). */
export interface PlaceOrderDetails {
  symbol: string;
  action: string;
  totalQuantity: number;
  orderType: string;
  lmtPrice?: number;
  auxPrice?: number;
  tif: string;
  account: string;
}

/** One order-affecting message and what the simulator did with it. `at` is wall-clock epoch ms. */
export interface OrderMessageRecord {
  /** Arrival order across all connections, from 1. */
  seq: number;
  at: number;
  connectionId: number;
  clientId: number;
  type: OrderMessageType;
  /** placeOrder only: 'modify' when this client id had a working order with this id, else 'new'. */
  intent?: 'new' | 'modify';
  /** placeOrder and cancelOrder. */
  orderId?: number;
  /** placeOrder: as sent; cancelOrder: of this client's order with that id, '' when it has none. */
  orderRef?: string;
  /** The broker's permId of the order the message created or reached, when there is one. */
  permId?: number;
  whatIf?: boolean;
  order?: PlaceOrderDetails;
  outcome: 'accepted' | 'refused';
  /** The IB error code a refusal was answered with (103, 201, 10147, 10148, 100...). */
  errorCode?: number;
  errorMessage?: string;
  /** reqGlobalCancel only: the working orders (any client's) it cancelled. */
  cancelled?: OrderKey[];
}

export type NewOrderMessage = Omit<OrderMessageRecord, 'seq' | 'at'>;

export interface OrderMessageQuery {
  connectionId?: number;
  clientId?: number;
  orderId?: number;
  orderRef?: string;
  type?: OrderMessageType;
  outcome?: 'accepted' | 'refused';
  /** At or after this wall-clock epoch-ms time. */
  since?: number;
}

/**
 * Every placeOrder, cancelOrder and reqGlobalCancel the simulator received, with the connection
 * and client id that sent it and the outcome: who asked the broker for what, and what it answered.
 */
export class MessageLedger {
  private readonly records: OrderMessageRecord[] = [];

  constructor(private readonly wallClock: Now = Date.now) {}

  record(message: NewOrderMessage): OrderMessageRecord {
    const record = Object.freeze({ seq: this.records.length + 1, at: this.wallClock(), ...message });
    this.records.push(record);
    return record;
  }

  /** The records themselves (frozen), in arrival order. */
  all(): readonly OrderMessageRecord[] {
    return this.records.slice();
  }

  get size(): number {
    return this.records.length;
  }

  query(q: OrderMessageQuery): OrderMessageRecord[] {
    return this.records.filter(
      (m) =>
        (q.connectionId === undefined || m.connectionId === q.connectionId) &&
        (q.clientId === undefined || m.clientId === q.clientId) &&
        (q.orderId === undefined || m.orderId === q.orderId) &&
        (q.orderRef === undefined || m.orderRef === q.orderRef) &&
        (q.type === undefined || m.type === q.type) &&
        (q.outcome === undefined || m.outcome === q.outcome) &&
        (q.since === undefined || m.at >= q.since),
    );
  }
}
