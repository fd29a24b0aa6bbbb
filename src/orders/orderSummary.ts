import type { OrderSpec } from '../machines/orders/orderTypes.ts';
import type { NewOrder } from './schema/index.ts';
import type { StoredOrder } from './orderStore.ts';
import { toSpec } from './orderIntake.ts';

/** One order as the API lists it: its terms as received, where it stands, and where to read more. */
export interface OrderSummary {
  clientOrderId: string;
  /** The order machine's state, or `queued` while its job waits on the `orders` queue (`rejected` if that job failed). */
  state: string;
  terminal: boolean;
  account: string;
  symbol: string;
  /** YYYYMM: the month the order trades; null when it is not known without asking the broker. */
  contractMonth: string | null;
  side: OrderSpec['side'];
  quantity: number;
  orderType: OrderSpec['orderType'];
  limitPrice: number | null;
  stopPrice: number | null;
  timeInForce: OrderSpec['timeInForce'];
  /** Null for orders stored before the strategy was kept with them. */
  strategy: string | null;
  filledQuantity: number;
  averagePrice: number | null;
  receivedAt: string;
  updatedAt: string;
  url: string;
}

/** One execution of an order, at its own price. */
export interface OrderExecution {
  execId: string;
  price: number;
  quantity: number;
  /** When the runtime recorded it; null for a fill stored before fills kept a time and no longer in the fills stream. */
  time: string | null;
  /** Null until IB reports it (it comes after the execution), or once the fills stream no longer holds it. */
  commission: number | null;
}

/** One record of the order's audit trail: when, what, and the record's own fields. */
export interface OrderHistoryEntry {
  at: string;
  kind: string;
  [field: string]: unknown;
}

export interface OrderDetail extends OrderSummary {
  ibOrderId: number | null;
  brokerStatus: string | null;
  rejectReason: string | null;
  /** The sum of the commissions known so far. */
  commission: number;
  executions: OrderExecution[];
  history: OrderHistoryEntry[];
}

/** The month positions and fills file an expiry under, when known without asking anyone (a YYYYMM is its month). */
export type KnownContractMonth = (symbol: string, expiry: string | undefined) => string | undefined;

export const orderUrl = (clientOrderId: string): string => `/orders/${encodeURIComponent(clientOrderId)}`;

const iso = (ms: number): string => new Date(ms).toISOString();

function monthOf(symbol: string, expiry: string | undefined, known: KnownContractMonth | undefined): string | null {
  if (expiry === undefined) return null;
  if (/^\d{6}$/.test(expiry)) return expiry;
  return known?.(symbol, expiry) ?? null;
}

/** The spec's terms as the API shows them: absent prices are null, an unknown strategy too. */
function terms(spec: OrderSpec, known: KnownContractMonth | undefined) {
  return {
    clientOrderId: spec.clientOrderId,
    account: spec.account,
    symbol: spec.symbol,
    contractMonth: monthOf(spec.symbol, spec.expiry, known),
    side: spec.side,
    quantity: spec.quantity,
    orderType: spec.orderType,
    limitPrice: spec.limitPrice ?? null,
    stopPrice: spec.stopPrice ?? null,
    timeInForce: spec.timeInForce,
    strategy: spec.strategy ?? null,
    url: orderUrl(spec.clientOrderId),
  };
}

/** A stored order as the API lists it. `terminal` comes from the store (its final states). */
export function storedSummary(stored: StoredOrder, terminal: boolean, known?: KnownContractMonth): OrderSummary {
  return {
    ...terms(stored.spec, known),
    state: stored.state,
    terminal,
    filledQuantity: stored.context?.filledQuantity ?? 0,
    averagePrice: stored.context?.averagePrice ?? null,
    receivedAt: iso(stored.receivedAt),
    updatedAt: iso(stored.updatedAt || stored.receivedAt),
  };
}

/** What the `orders` queue holds of a new order no order service has taken yet. */
export interface QueuedOrderJob {
  order: NewOrder;
  /** When the job was added (epoch ms). */
  addedAt: number;
  /** The job failed (it goes to `orders:dead`): it will never be stored. */
  failed: boolean;
}

/** A new order still on the queue, from its job: nothing filled, no state but the queue's. */
export function queuedSummary({ order, addedAt, failed }: QueuedOrderJob, known?: KnownContractMonth): OrderSummary {
  const spec = toSpec(order);
  return {
    ...terms(spec, known),
    state: failed ? 'rejected' : 'queued',
    terminal: failed,
    filledQuantity: 0,
    averagePrice: null,
    receivedAt: iso(addedAt),
    updatedAt: iso(addedAt),
  };
}
