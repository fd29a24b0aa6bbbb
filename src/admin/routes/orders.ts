import type { FastifyInstance, FastifyReply, FastifySchemaCompiler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { orderUrl } from '../../orders/orderSummary.ts';
import { newOrderSchema } from '../../orders/schema/index.ts';
import type { OrderJobSubmission, RuntimeView } from '../runtimeView.ts';
import { apiError, type ApiErrorBody } from '../apiError.ts';
import { zodValidatorCompiler } from '../requestValidation.ts';
import { clientOrderIdParamsSchema, duplicateOrderSchema, modifyBodySchema, orderAcceptedSchema, requestQueuedSchema } from '../schemas/orderViews.ts';
import { answer, errorAnswer, errorResponses, type ErrorCodes } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const isObject = (body: unknown): body is Record<string, unknown> => body !== null && typeof body === 'object' && !Array.isArray(body);

/**
 * An order route's body is the job itself, and the runtime validates it: with the parse every
 * producer's job goes through (same messages, same field names), and only where intake runs (a
 * process whose intake is stopping answers 503, not 400). The job is queued as it was sent, so
 * its audit record shows what arrived, not zod's output (defaults filled in, -0 made 0). So the
 * body schema is here for the OpenAPI document only; path parameters are validated as usual.
 */
function bodyAsSent<S>(): FastifySchemaCompiler<S> {
  return (route) => (route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : zodValidatorCompiler({ ...route, schema: route.schema as z.ZodType }));
}

const ANY_NODE = 'Any node takes it, a standby too: the job goes on the namespace’s `orders` queue, which the active node’s order service works.';

const INVALID_ORDER = { invalid_order: 'the job is not valid: the message lists each problem, `fields` names each field' };
const UNKNOWN_ORDER = { order_not_found: 'no order with this clientOrderId is stored or queued in the namespace: nothing was queued' };
const INTAKE_UNAVAILABLE = {
  orders_unavailable: 'order intake does not run in this process (`orders.enabled` is false) or is stopping: nothing was queued; retry after `Retry-After`, or on another node',
};
const INVALID_ID = { invalid_path: 'the clientOrderId in the path cannot be one: `fields` says why' };

/** Every order route is an operator's mutation, and reads or writes Redis (the queue, the order store). */
const orderErrors = (codes: ErrorCodes, body = false) => errorResponses({ access: 'mutation', body, redis: true, codes: { ...codes, 503: INTAKE_UNAVAILABLE } });

type Refused = Exclude<OrderJobSubmission, { accepted: true }>;

/** Answers a submission the runtime did not queue; the bodies are typed by the routes' response schemas. */
function refuse(reply: FastifyReply, result: Refused, clientOrderId: string): FastifyReply {
  if ('unavailable' in result) {
    // Not the order's fault: nothing was queued, and another node (or this one, later) takes it.
    return reply.code(503).header('retry-after', '1').send(apiError('orders_unavailable', result.unavailable));
  }
  if ('duplicate' in result) {
    const order = result.duplicate;
    const body: z.output<typeof duplicateOrderSchema> = {
      error: { code: 'duplicate_order', message: `clientOrderId ${clientOrderId} is already known (${order.state}, received ${order.receivedAt}); nothing was queued` },
      order,
    };
    return reply.code(409).send(body);
  }
  if ('unknownOrder' in result) return reply.code(404).send(apiError('order_not_found', result.unknownOrder));
  const body: ApiErrorBody = apiError('invalid_order', result.errors.join('; '), result.fields);
  return reply.code(400).send(body);
}

/**
 * Orders through the admin API go on the `orders` queue like every other order, so they get the
 * same validation, priority, idempotency and audit trail. A new order whose clientOrderId is
 * already known answers 409 with that order; a cancel or modify of an unknown one answers 404.
 */
export function registerOrdersRoutes(app: FastifyInstance, view: RuntimeView): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const submit = async (job: unknown): Promise<OrderJobSubmission> =>
    view.submitOrderJob ? view.submitOrderJob(job) : { accepted: false, unavailable: 'orders are not running in this process' };

  typed.post(
    '/orders',
    {
      schema: {
        ...routeDocs({
          tag: 'orders',
          summary: 'Submit a new order',
          description: `The body is the order job itself (\`type\` may be left out). It is validated as any producer’s job is, and queued once: its clientOrderId names the job, so sending it again queues nothing (409). ${ANY_NODE}`,
          access: 'mutation',
        }),
        body: newOrderSchema,
        response: {
          202: answer('Queued: follow it at `url` (also the `Location` header)', orderAcceptedSchema),
          ...orderErrors({ 400: INVALID_ORDER }, true),
          409: errorAnswer({ duplicate_order: 'the clientOrderId is already stored or queued: nothing was queued; `order` is the order it names' }, duplicateOrderSchema),
        },
      },
      validatorCompiler: bodyAsSent(),
    },
    async (request, reply) => {
      const job: unknown = request.body;
      if (!isObject(job)) return reply.code(400).send(apiError('invalid_order', 'body must be a JSON order object', [{ field: 'body', message: 'must be a JSON order object' }]));
      if (job.type !== undefined && job.type !== 'new') {
        const message = "must be 'new' (or left out): a cancel or modify goes to POST /orders/{clientOrderId}/cancel or /modify";
        return reply.code(400).send(apiError('invalid_order', `type: ${message}`, [{ field: 'type', message }]));
      }
      const result = await submit(job);
      if (!result.accepted) return refuse(reply, result, String(job.clientOrderId));
      const url = orderUrl(result.clientOrderId);
      return reply.code(202).header('location', url).send({ accepted: true, clientOrderId: result.clientOrderId, jobId: result.jobId, url });
    },
  );

  typed.post(
    '/orders/:clientOrderId/cancel',
    {
      schema: {
        ...routeDocs({
          tag: 'orders',
          summary: 'Cancel an order',
          description: `Queues a cancel for an order the namespace knows; the order’s state shows when it took effect (\`GET /orders/{clientOrderId}\`). ${ANY_NODE}`,
          access: 'mutation',
        }),
        params: clientOrderIdParamsSchema,
        response: { 202: answer('The cancel is queued', requestQueuedSchema), ...orderErrors({ 400: INVALID_ID, 404: UNKNOWN_ORDER }) },
      },
    },
    async (request, reply) => {
      const { clientOrderId } = request.params;
      const result = await submit({ type: 'cancel', clientOrderId });
      if (!result.accepted) return refuse(reply, result, clientOrderId);
      return reply.code(202).send({ accepted: true, clientOrderId, jobId: result.jobId });
    },
  );

  typed.post(
    '/orders/:clientOrderId/modify',
    {
      schema: {
        ...routeDocs({
          tag: 'orders',
          summary: 'Change an order’s quantity or prices',
          description: `Queues a modify for an order the namespace knows: at least one of \`quantity\`, \`limitPrice\`, \`stopPrice\`. ${ANY_NODE}`,
          access: 'mutation',
        }),
        params: clientOrderIdParamsSchema,
        body: modifyBodySchema,
        response: { 202: answer('The modify is queued', requestQueuedSchema), ...orderErrors({ 400: { ...INVALID_ID, ...INVALID_ORDER }, 404: UNKNOWN_ORDER }, true) },
      },
      validatorCompiler: bodyAsSent(),
    },
    async (request, reply) => {
      const { clientOrderId } = request.params;
      const changes: unknown = request.body;
      if (!isObject(changes)) {
        const message = 'must be a JSON object with quantity, limitPrice or stopPrice';
        return reply.code(400).send(apiError('invalid_order', `body: ${message}`, [{ field: 'body', message }]));
      }
      const result = await submit({ ...changes, type: 'modify', clientOrderId });
      if (!result.accepted) return refuse(reply, result, clientOrderId);
      return reply.code(202).send({ accepted: true, clientOrderId, jobId: result.jobId });
    },
  );
}
