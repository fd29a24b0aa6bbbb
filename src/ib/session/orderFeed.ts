/** What the broker says about orders, as plain data for whoever routes it to order actors. */
export type BrokerOrderUpdate =
  | { kind: 'status'; orderId: number; status: string; filled: number; remaining: number; avgFillPrice: number }
  | { kind: 'open'; orderId: number; orderRef: string | undefined; status: string | undefined }
  | {
      kind: 'execution';
      orderId: number;
      orderRef: string | undefined;
      execId: string;
      shares: number;
      price: number;
      account: string | undefined;
      time: string | undefined;
    }
  | { kind: 'commission'; execId: string; commission: number; currency?: string }
  /** The broker's answer to a whatIf order: what the order would do to margin, nothing placed. */
  | { kind: 'whatIf'; orderId: number; margins: WhatIfMargins }
  | { kind: 'error'; orderId: number; code: number; message: string; category: string };

export interface WhatIfMargins {
  initMarginChange: number;
  maintMarginChange: number;
  initMarginAfter: number;
  maintMarginAfter: number;
  equityWithLoanAfter: number;
}

export type OrderUpdateListener = (update: BrokerOrderUpdate) => void;

/** Fan-out of broker order updates; a throwing listener is isolated from the others. */
export class OrderFeed {
  private readonly listeners = new Set<OrderUpdateListener>();

  subscribe(listener: OrderUpdateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(update: BrokerOrderUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch {
        // The router logs its own failures; one bad listener must not starve the rest.
      }
    }
  }
}
