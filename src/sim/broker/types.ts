import type { Instrument } from '../../instruments/instruments.ts';
import type { Clock } from '../../shared/clock.ts';

export type OrderAction = 'BUY' | 'SELL';
export type SimOrderType = 'MKT' | 'LMT' | 'STP' | 'STP LMT';
export type TimeInForce = 'DAY' | 'GTC' | 'IOC';
/** The orderStatus values TWS actually reports (partial fills stay "Submitted" with filled > 0). */
export type OrderStatusName = 'PreSubmitted' | 'Submitted' | 'Filled' | 'Cancelled' | 'Inactive';

export const SUPPORTED_ORDER_TYPES: readonly SimOrderType[] = ['MKT', 'LMT', 'STP', 'STP LMT'];
export const SUPPORTED_TIFS: readonly TimeInForce[] = ['DAY', 'GTC', 'IOC'];

export interface OrderRequest {
  orderId: number;
  clientId: number;
  /** Empty means the first managed account. */
  account: string;
  instrument: Instrument;
  action: OrderAction;
  totalQuantity: number;
  orderType: SimOrderType;
  lmtPrice?: number;
  auxPrice?: number;
  tif: TimeInForce;
  orderRef: string;
  whatIf: boolean;
  outsideRth: boolean;
  parentId: number;
  ocaGroup: string;
}

export interface SimOrder extends OrderRequest {
  permId: number;
  status: OrderStatusName;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** Stop orders become market/limit orders once their stop price trades. */
  triggered: boolean;
  /** A limit that has rested on the book fills at its own price; on arrival it takes the market price. */
  resting: boolean;
}

export interface Execution {
  execId: string;
  orderId: number;
  permId: number;
  clientId: number;
  account: string;
  orderRef: string;
  symbol: string;
  conId: number;
  exchange: string;
  side: 'BOT' | 'SLD';
  qty: number;
  price: number;
  /** Epoch milliseconds from the simulator's clock. */
  time: number;
  cumQty: number;
  avgPrice: number;
  commission: number;
  currency: string;
  /** Realized P&L net of this execution's commission; undefined for opening executions (IB sends "unset"). */
  realizedPnl: number | undefined;
}

export interface MarginFigures {
  initMarginBefore: number;
  maintMarginBefore: number;
  equityWithLoanBefore: number;
  initMarginAfter: number;
  maintMarginAfter: number;
  equityWithLoanAfter: number;
  commission: number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function isDone(order: SimOrder): boolean {
  return order.status === 'Filled' || order.status === 'Cancelled' || order.status === 'Inactive';
}
