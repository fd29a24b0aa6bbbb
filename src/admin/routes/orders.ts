import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OrderJobSubmission, RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';

const isObject = (body: unknown): body is Record<string, unknown> => body !== null && typeof body === 'object' && !Array.isArray(body);

/**
 * Orders through the admin API go on the `orders` queue like every other order, so they get the
 * same validation, priority, idempotency and audit trail.
 */
export function registerOrdersRoutes(app: FastifyInstance, view: RuntimeView): void {
  const submit = async (reply: FastifyReply, job: unknown) => {
    if (!view.submitOrderJob) return reply.code(503).send(apiError('orders_unavailable', 'orders are not running in this process'));
    const result: OrderJobSubmission = await view.submitOrderJob(job);
    // Not the order's fault: nothing was queued, and another node (or this one, later) takes it.
    if ('unavailable' in result) return reply.code(503).header('retry-after', '1').send(apiError('orders_unavailable', result.unavailable));
    if (!result.accepted) return reply.code(400).send(apiError('invalid_order', result.errors.join('; ')));
    return reply.code(202).send({ accepted: true, jobId: result.jobId, clientOrderId: result.clientOrderId });
  };

  app.post('/orders', async (request, reply) => {
    if (!isObject(request.body)) return reply.code(400).send(apiError('invalid_order', 'body must be a JSON order object'));
    return submit(reply, request.body);
  });

  app.post<{ Params: { clientOrderId: string } }>('/orders/:clientOrderId/cancel', async (request, reply) =>
    submit(reply, { type: 'cancel', clientOrderId: request.params.clientOrderId }),
  );

  app.post<{ Params: { clientOrderId: string } }>('/orders/:clientOrderId/modify', async (request, reply) => {
    if (!isObject(request.body)) return reply.code(400).send(apiError('invalid_order', 'body must be a JSON object with quantity, limitPrice or stopPrice'));
    return submit(reply, { ...request.body, type: 'modify', clientOrderId: request.params.clientOrderId });
  });
}
