import { getJson } from '../api/http.ts';
import type { OrderEvent, OrderPage, OrderSummary } from '../api/types.ts';
import { Slice } from './slice.ts';

const TERMINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);
/** Open orders are all kept; finished ones only this many, the newest. */
const RECENT_FINISHED = 500;
/** The snapshot reads open orders in pages, up to this many. */
const MAX_OPEN = 5_000;
/** A TWAP slice (`<parent>:t<n>`): the blotter lists what strategies sent, as GET /orders does. */
const isSlice = (id: string) => /:t\d+$/.test(id);

/** An order of the blotter. One known from an event only has blank terms (no type, no time in force) until they are read. */
export interface OrderRow extends Omit<OrderSummary, 'orderType' | 'timeInForce'> {
  orderType: OrderSummary['orderType'] | '';
  timeInForce: OrderSummary['timeInForce'] | '';
  /** Known from an event only: its terms are being read. */
  partial: boolean;
}

/**
 * The blotter's orders: a snapshot from GET /orders, kept current by the order events of
 * GET /events. An event newer than what we hold wins; an order first seen in an event is read
 * once for its terms. Rows are replaced, never changed in place, so a row that did not change
 * renders nothing.
 */
export class OrderBook {
  readonly slice = new Slice<OrderBook>(this);
  private readonly rows = new Map<string, OrderRow>();
  private sorted: OrderRow[] = [];
  private sortedVersion = -1;
  private readonly reading = new Set<string>();
  /** Listeners for one order's events (the history drawer refreshes on them). */
  readonly watchers = new Map<string, () => void>();

  get size(): number {
    return this.rows.size;
  }

  get(id: string): OrderRow | undefined {
    return this.rows.get(id);
  }

  /** Newest received first, as GET /orders lists them. */
  list(): OrderRow[] {
    if (this.sortedVersion !== this.slice.version) {
      this.trim();
      this.sorted = [...this.rows.values()].sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));
      this.sortedVersion = this.slice.version;
    }
    return this.sorted;
  }

  /** Reads open orders and the most recent ones (a first load, or again after lost events). */
  async loadSnapshot(): Promise<void> {
    let cursor: string | null = null;
    let open = 0;
    do {
      const query: string = `/orders?state=open&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: OrderPage = await getJson<OrderPage>(query);
      for (const order of page.orders) this.merge(order);
      open += page.orders.length;
      cursor = page.nextCursor;
    } while (cursor && open < MAX_OPEN);
    const recent = await getJson<OrderPage>('/orders?state=all&limit=200');
    for (const order of recent.orders) this.merge(order);
    this.slice.changed();
  }

  apply(event: OrderEvent): void {
    if (isSlice(event.clientOrderId)) {
      this.watchers.get(event.clientOrderId.replace(/:t\d+$/, ''))?.();
      return;
    }
    const row = this.rows.get(event.clientOrderId);
    if (row && row.updatedAt > event.at) return;
    const changes = { state: event.state, terminal: TERMINAL.has(event.state), filledQuantity: event.filledQuantity, averagePrice: event.averagePrice, updatedAt: event.at };
    if (row) this.rows.set(row.clientOrderId, { ...row, ...changes });
    else {
      this.rows.set(event.clientOrderId, { ...placeholder(event), ...changes });
      void this.readTerms(event.clientOrderId);
    }
    this.watchers.get(event.clientOrderId)?.();
    this.slice.changed();
  }

  private merge(order: OrderSummary): void {
    const row = this.rows.get(order.clientOrderId);
    if (row && !row.partial && row.updatedAt > order.updatedAt) return;
    // A snapshot older than the events already applied keeps the events' state.
    const newer = row && row.updatedAt > order.updatedAt ? { state: row.state, terminal: row.terminal, filledQuantity: row.filledQuantity, averagePrice: row.averagePrice, updatedAt: row.updatedAt } : {};
    this.rows.set(order.clientOrderId, { ...order, ...newer, partial: false });
  }

  private async readTerms(id: string): Promise<void> {
    if (this.reading.has(id)) return;
    this.reading.add(id);
    try {
      this.merge(await getJson<OrderSummary>(`/orders/${encodeURIComponent(id)}`));
      this.slice.changed();
    } catch {
      // The row keeps what the events said; the next snapshot fills in the rest.
    } finally {
      this.reading.delete(id);
    }
  }

  /** Finished orders beyond the newest RECENT_FINISHED leave the blotter (GET /orders still has them). */
  private trim(): void {
    const finished = [...this.rows.values()].filter((row) => row.terminal);
    if (finished.length <= RECENT_FINISHED) return;
    finished.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1));
    for (const row of finished.slice(0, finished.length - RECENT_FINISHED)) this.rows.delete(row.clientOrderId);
  }
}

function placeholder(event: OrderEvent): OrderRow {
  return {
    clientOrderId: event.clientOrderId,
    state: event.state,
    terminal: false,
    account: '',
    symbol: '',
    contractMonth: null,
    side: 'BUY',
    quantity: 0,
    orderType: '',
    limitPrice: null,
    stopPrice: null,
    timeInForce: '',
    strategy: null,
    filledQuantity: 0,
    averagePrice: null,
    receivedAt: event.at,
    updatedAt: event.at,
    url: `/orders/${event.clientOrderId}`,
    partial: true,
  };
}

export const orderBook = new OrderBook();
