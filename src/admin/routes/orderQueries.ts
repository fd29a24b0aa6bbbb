import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { apiErrorSchema } from '../schemas/errorViews.ts';
import { orderDetailSchema, orderIdParamsSchema, orderListQuerySchema, orderPageSchema } from '../schemas/orderViews.ts';

const UNAVAILABLE = 'this process reads no orders (no Redis for reads)';

/**
 * `GET /orders` and `GET /orders/:clientOrderId`: the namespace's orders as Redis holds them, so a
 * standby answers too. The list is newest first and paged by an opaque cursor; one order comes with
 * its executions and its audit trail. A TWAP slice is read by its own id (`<parent>:t<n>`).
 */
export function registerOrderQueryRoutes(app: FastifyInstance, view: RuntimeView): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/orders',
    { schema: { summary: 'List orders, newest first', querystring: orderListQuerySchema, response: { 200: orderPageSchema, 400: apiErrorSchema, 503: apiErrorSchema } } },
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
        summary: 'One order, with its executions and audit trail',
        params: orderIdParamsSchema,
        response: { 200: orderDetailSchema, 400: apiErrorSchema, 404: apiErrorSchema, 503: apiErrorSchema },
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
