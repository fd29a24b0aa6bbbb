import type { AdminRequest } from './_admin.ts';
import { orderActorId } from '../src/orders/orderActorIds.ts';

export interface ForgedInput {
  name: string;
  path: string;
  request: AdminRequest;
  /** Accepted, it would stop the process or a supervisor for good: the run must restart the runtime. */
  stopsTheProcess: boolean;
}

export interface ForgeryTargets {
  /** A live order (its actor running), if there is one. */
  order: string;
  /** An id shaped like a TWAP slice of a live parent (`<parent>:t<n>`): no outside order may take it. */
  sliceShapedId: string;
  /** A valid new order job to disguise under the slice-shaped id. */
  orderJob: Record<string, unknown>;
}

/**
 * Requests that would lie about the world or that are not even well formed, each of which must be
 * refused with a 4xx: a made-up broker fill, lifecycle events into supervisors, a modify with a
 * price that is not a number, garbage bodies, and an order under an id from the internal namespace.
 * The two that could stop the process come last, so the others still meet a running runtime.
 */
export function forgedInputs(targets: ForgeryTargets, serial: number): ForgedInput[] {
  const actor = (systemId: string) => `/actors/${encodeURIComponent(systemId)}/events`;
  const orderActor = actor(orderActorId(targets.order));
  return [
    {
      name: 'broker.fill into an order',
      path: orderActor,
      request: { json: { type: 'broker.fill', fill: { execId: `FORGED.${serial}`, quantity: 1, price: 1 } } },
      stopsTheProcess: false,
    },
    { name: 'MODIFY with limitPrice "abc" (event)', path: orderActor, request: { json: { type: 'MODIFY', limitPrice: 'abc' } }, stopsTheProcess: false },
    {
      name: 'modify with limitPrice "abc" (route)',
      path: `/orders/${encodeURIComponent(targets.order)}/modify`,
      request: { json: { limitPrice: 'abc' } },
      stopsTheProcess: false,
    },
    { name: 'truncated JSON', path: orderActor, request: { raw: { body: '{"type":', contentType: 'application/json' } }, stopsTheProcess: false },
    { name: 'not JSON', path: orderActor, request: { raw: { body: 'fill me', contentType: 'text/plain' } }, stopsTheProcess: false },
    { name: 'a JSON array', path: orderActor, request: { json: [1, 2, 3] }, stopsTheProcess: false },
    { name: 'a numeric type', path: orderActor, request: { json: { type: 42 } }, stopsTheProcess: false },
    {
      name: 'an order under a slice-shaped id',
      path: '/orders',
      request: { json: { ...targets.orderJob, clientOrderId: targets.sliceShapedId } },
      stopsTheProcess: false,
    },
    { name: 'tradewire.shutdown into orders', path: actor('orders'), request: { json: { type: 'tradewire.shutdown' } }, stopsTheProcess: true },
    { name: 'tradewire.shutdown into root', path: actor('root'), request: { json: { type: 'tradewire.shutdown' } }, stopsTheProcess: true },
  ];
}
