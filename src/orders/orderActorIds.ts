import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { OrderEvent } from '../machines/orders/orderTypes.ts';

/** The supervisor order actors are started under, one child per order (added at run time). */
export const ORDERS_SUPERVISOR_ID = 'orders';

const ORDER_ACTOR_PREFIX = 'order:';

/** An order actor's system id: `order:<clientOrderId>` (a TWAP slice's is `order:<parent>:t<n>`). */
export const orderActorId = (clientOrderId: string) => `${ORDER_ACTOR_PREFIX}${clientOrderId}`;

export const isOrderActorId = (systemId: string) => systemId.startsWith(ORDER_ACTOR_PREFIX);

/** The clientOrderId of an order actor's system id, or null for any other actor. */
export const clientOrderIdOf = (systemId: string): string | null => (isOrderActorId(systemId) ? systemId.slice(ORDER_ACTOR_PREFIX.length) : null);

/** Typed delivery to an order actor (the tree takes any event). */
export function sendToOrder(tree: SupervisionTree, clientOrderId: string, event: OrderEvent) {
  return tree.send(orderActorId(clientOrderId), event);
}
