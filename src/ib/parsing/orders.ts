import type { Order } from '@stoqey/ib';
import { OrderAction, OrderType as IbOrderType, TimeInForce as IbTimeInForce } from '../stoqeyValues.ts';
import type { OrderSpec } from '../../machines/orders/orderTypes.ts';

type Side = OrderSpec['side'];
type OrderType = OrderSpec['orderType'];
type TimeInForce = OrderSpec['timeInForce'];

/** Domain side → IB action (IB's SSHORT/SLONG are for stock lending; futures use BUY/SELL). */
export const IB_ACTIONS: Readonly<Record<Side, OrderAction>> = { BUY: OrderAction.BUY, SELL: OrderAction.SELL };

/** Domain order type → IB order type. */
export const IB_ORDER_TYPES: Readonly<Record<OrderType, IbOrderType>> = {
  MKT: IbOrderType.MKT,
  LMT: IbOrderType.LMT,
  STP: IbOrderType.STP,
  'STP LMT': IbOrderType.STP_LMT,
};

/** Domain time in force → IB's. */
export const IB_TIMES_IN_FORCE: Readonly<Record<TimeInForce, IbTimeInForce>> = {
  DAY: IbTimeInForce.DAY,
  GTC: IbTimeInForce.GTC,
  IOC: IbTimeInForce.IOC,
};

/** The reverse of a domain → IB table: IB's value back to ours, or undefined for one we never send. */
export function reverseOf<Domain extends string, Ib extends string>(table: Readonly<Record<Domain, Ib>>): (ib: string) => Domain | undefined {
  const reverse = new Map<string, Domain>();
  for (const [domain, ib] of entriesOf(table)) reverse.set(ib, domain);
  return (ib) => reverse.get(ib);
}

function entriesOf<Domain extends string, Ib>(table: Readonly<Record<Domain, Ib>>): [Domain, Ib][] {
  const keys: Domain[] = [];
  for (const key in table) keys.push(key);
  return keys.map((key) => [key, table[key]]);
}

export const sideOfAction = reverseOf(IB_ACTIONS);
export const orderTypeOfIb = reverseOf(IB_ORDER_TYPES);
export const timeInForceOfIb = reverseOf(IB_TIMES_IN_FORCE);

/** The IB order for a domain order: orderRef carries the clientOrderId so the broker itself can say whose it is. */
export function ibOrderFor(order: OrderSpec): Order {
  return {
    action: IB_ACTIONS[order.side],
    totalQuantity: order.quantity,
    orderType: IB_ORDER_TYPES[order.orderType],
    ...(order.limitPrice !== undefined ? { lmtPrice: order.limitPrice } : {}),
    ...(order.stopPrice !== undefined ? { auxPrice: order.stopPrice } : {}),
    tif: IB_TIMES_IN_FORCE[order.timeInForce],
    orderRef: order.clientOrderId,
    account: order.account,
    transmit: true,
  };
}
