import type { OrderAuditTrail } from '../audit/index.ts';
import { encodeOrderCursor } from './orderCursor.ts';
import { orderHistory } from './orderHistory.ts';
import type { ReceiptPosition, OrderStore, StoredOrder } from './orderStore.ts';
import { queuedSummary, storedSummary, type KnownContractMonth, type OrderDetail, type OrderExecution, type OrderSummary } from './orderSummary.ts';
import type { FillStreamReads } from './fillStreamReads.ts';
import type { QueuedOrders } from './queuedOrders.ts';

export type OrderStateFilter = 'open' | 'terminal' | 'all';

export interface OrderListQuery {
  state: OrderStateFilter;
  /** Received at or after (epoch ms); null: no bound. */
  sinceMs: number | null;
  strategy?: string;
  symbol?: string;
  limit: number;
  /** Where the previous page stopped (its decoded cursor); null: from the newest order. */
  after: ReceiptPosition | null;
}

export interface OrderPage {
  orders: OrderSummary[];
  /** Where the next page starts; null once every order was examined. */
  nextCursor: string | null;
}

export interface OrderQueriesOptions {
  store: OrderStore;
  trail: OrderAuditTrail;
  fills: FillStreamReads;
  queued: QueuedOrders;
  knownMonth?: KnownContractMonth;
  /**
   * Most orders one list request reads before it answers (default 2,000): a filter that matches
   * rarely gives a short page with a cursor rather than a request that reads the whole store.
   */
  examineLimit?: number;
}

/** How many orders of the index a page reads per round trip. */
const BATCH = 200;

/**
 * The namespace's orders as the admin API reads them, from Redis only, so any node answers: pages
 * of the receipt index (`<prefix>:all`, newest first; the open set for open orders) filtered by
 * state, time, strategy and symbol; and one order with its executions and audit trail. TWAP slices
 * are not listed (the order a strategy sent is their parent); each can be read by its own id.
 */
export class OrderQueries {
  private readonly examineLimit: number;

  constructor(private readonly options: OrderQueriesOptions) {
    this.examineLimit = options.examineLimit ?? 2_000;
  }

  async list(query: OrderListQuery): Promise<OrderPage> {
    const { store } = this.options;
    const candidates = query.state === 'open' ? await this.openCandidates(query) : null;
    const next = (after: ReceiptPosition | null, count: number): Promise<ReceiptPosition[]> =>
      candidates ? Promise.resolve(candidates.filter((c) => after === null || isAfter(c, after)).slice(0, count)) : store.receivedBefore(after, query.sinceMs, count);
    const orders: OrderSummary[] = [];
    let position = query.after;
    let examined = 0;
    while (examined < this.examineLimit) {
      const batch = await next(position, Math.min(BATCH, this.examineLimit - examined));
      if (batch.length === 0) return { orders, nextCursor: null };
      const loaded = await Promise.all(batch.map((entry) => store.load(entry.clientOrderId)));
      for (const [i, entry] of batch.entries()) {
        position = entry;
        examined += 1;
        const stored = loaded[i] ?? null;
        if (stored && this.matches(stored, query)) orders.push(storedSummary(stored, store.isTerminal(stored.state), this.options.knownMonth));
        if (orders.length < query.limit) continue;
        const more = i < batch.length - 1 || (await next(position, 1)).length > 0;
        return { orders, nextCursor: more ? encodeOrderCursor(position) : null };
      }
    }
    return { orders, nextCursor: position === null ? null : encodeOrderCursor(position) };
  }

  /** One order: stored, or still a job on the queue (then nothing has happened to it yet); null when neither. */
  async detail(clientOrderId: string): Promise<OrderDetail | null> {
    const { store, trail, knownMonth } = this.options;
    const stored = await store.load(clientOrderId);
    if (!stored) {
      const queued = await this.options.queued.find(clientOrderId);
      if (!queued) return null;
      return { ...queuedSummary(queued, knownMonth), ibOrderId: null, brokerStatus: null, rejectReason: null, commission: 0, executions: [], history: [] };
    }
    const [history, executions] = await Promise.all([trail.historyOf(clientOrderId), this.executionsOf(stored)]);
    return {
      ...storedSummary(stored, store.isTerminal(stored.state), knownMonth),
      ibOrderId: stored.ibOrderId,
      brokerStatus: stored.context?.brokerStatus ?? null,
      rejectReason: stored.context?.rejectReason ?? null,
      commission: commissionOf(executions, stored.context?.commission ?? 0),
      executions,
      history: orderHistory(history),
    };
  }

  /** The order as the API lists it, stored or queued; null when no one knows it. */
  async summary(clientOrderId: string): Promise<OrderSummary | null> {
    const { store, knownMonth } = this.options;
    const stored = await store.load(clientOrderId);
    if (stored) return storedSummary(stored, store.isTerminal(stored.state), knownMonth);
    const queued = await this.options.queued.find(clientOrderId);
    return queued ? queuedSummary(queued, knownMonth) : null;
  }

  private matches(stored: StoredOrder, query: OrderListQuery): boolean {
    const { spec } = stored;
    if (spec.parentId !== undefined) return false;
    if (query.strategy !== undefined && spec.strategy !== query.strategy) return false;
    if (query.symbol !== undefined && spec.symbol !== query.symbol) return false;
    if (query.state === 'all') return true;
    return this.options.store.isTerminal(stored.state) === (query.state === 'terminal');
  }

  /** The open set holds working orders only: read whole, in the index's order, within the time bound. */
  private async openCandidates(query: OrderListQuery): Promise<ReceiptPosition[]> {
    const open = await this.options.store.openByReceipt();
    return query.sinceMs === null ? open : open.filter((entry) => entry.receivedAt >= query.sinceMs!);
  }

  /**
   * The stored fills with the stream's time and commission where the order has none (fills stored
   * before they kept a time; commissions, which IB reports after the execution).
   */
  private async executionsOf(stored: StoredOrder): Promise<OrderExecution[]> {
    const fills = stored.context?.fills ?? [];
    const facts = await this.options.fills.facts(fills.filter((fill) => fill.time === undefined || fill.commission === undefined).map((fill) => fill.execId));
    return fills.map((fill) => ({
      execId: fill.execId,
      price: fill.price,
      quantity: fill.quantity,
      time: fill.time ?? facts.get(fill.execId)?.time ?? null,
      commission: fill.commission ?? facts.get(fill.execId)?.commission ?? null,
    }));
  }
}

/** `entry` comes after `position` in the index's order (older, or as old with a lower id). */
function isAfter(entry: ReceiptPosition, position: ReceiptPosition): boolean {
  return entry.receivedAt < position.receivedAt || (entry.receivedAt === position.receivedAt && entry.clientOrderId < position.clientOrderId);
}

/**
 * The order's commissions known so far: IB reports them after the executions, often once the order
 * has finished (the order no longer adds them up), so the executions' are summed when any is known.
 */
function commissionOf(executions: readonly OrderExecution[], booked: number): number {
  const known = executions.filter((execution) => execution.commission !== null);
  return known.length === 0 ? booked : known.reduce((sum, execution) => sum + execution.commission!, 0);
}
