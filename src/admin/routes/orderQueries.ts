import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { orderDetailSchema, orderIdParamsSchema, orderListQuerySchema, orderPageSchema } from '../schemas/orderViews.ts';
import { answer, errorResponses, INVALID_QUERY } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const UNAVAILABLE = 'this process reads no orders (no Redis for reads)';

const ANY_NODE = 'Any node answers, a standby too: orders are read from Redis.';
const READS_UNAVAILABLE = { 503: { orders_unavailable: 'this process has no Redis for reads' } };

/**
 * `GET /orders` and `GET /orders/:clientOrderId`: the namespace's orders as Redis holds them, so a
 * standby answers too. The list is newest first and paged by an opaque cursor; one order comes with
 * its executions and its audit trail. A TWAP slice is read by its own id (`<parent>:t<n>`).
 */
export function registerOrderQueryRoutes(app: FastifyInstance, view: RuntimeView): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/orders',
    {
      schema: {
        ...routeDocs({
          tag: 'orders',
          summary: 'List orders, newest first',
          description: `The orders the namespace stores, filtered by state, receipt time, strategy and symbol (a TWAP’s slices are not listed: read each by its id). Paged by \`cursor\`: a page may hold fewer than \`limit\`, so follow \`nextCursor\` until it is null. ${ANY_NODE}`,
          access: 'read',
        }),
        querystring: orderListQuerySchema,
        response: {
          200: answer('A page of orders', orderPageSchema),
          ...errorResponses({ access: 'read', redis: true, codes: { 400: INVALID_QUERY, ...READS_UNAVAILABLE } }),
        },
      },
    },
    async (request, reply) => {
      if (!view.orderReads) return reply.code(503).send(apiError('orders_unavailable', UNAVAILABLE));
      const { state, since, strategy, symbol, limit, cursor } = request.query;
      return view.orderReads.listOrders({
        state,
        sinceMs: since ?? null,
        ...(strategy !== undefined ? { strategy } : {}),
        ...(symbol !== undefined ? { symbol } : {}),
        limit,
        after: cursor ?? null,
      });
    },
  );

  typed.get(
    '/orders/:clientOrderId',
    {
      schema: {
        ...routeDocs({
          tag: 'orders',
          summary: 'One order, with its executions and audit trail',
          description: `Stored, or still a job on the \`orders\` queue (then with no executions or history yet). A TWAP slice is read by its own id (\`<parent>:t<n>\`). ${ANY_NODE}`,
          access: 'read',
        }),
        params: orderIdParamsSchema,
        response: {
          200: answer('The order', orderDetailSchema),
          ...errorResponses({
            access: 'read',
            redis: true,
            codes: {
              400: { invalid_path: 'the clientOrderId in the path cannot be one: `fields` says why' },
              404: { order_not_found: 'no order with this clientOrderId is stored or queued in the namespace' },
              ...READS_UNAVAILABLE,
            },
          }),
        },
      },
    },
    async (request, reply) => {
      if (!view.orderReads) return reply.code(503).send(apiError('orders_unavailable', UNAVAILABLE));
      const { clientOrderId } = request.params;
      const order = await view.orderReads.order(clientOrderId);
      if (!order) return reply.code(404).send(apiError('order_not_found', `no order ${clientOrderId} is stored or queued in this namespace`));
      return order;
    },
  );
}
