import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';

/** Any printable id without spaces (internal child ids included: a TWAP slice can be crashed too); fastify caps its length. */
const ARMABLE_ID = /^[\x21-\x7e]+$/;

/**
 * Test-only routes, present only while `testing.faultHooks` is on (404 otherwise, as if absent).
 * `POST /testing/orders/:clientOrderId/crash` arms a crash: that order actor throws inside its next
 * action and is restarted by its supervisor (the chaos matrix's actor-crash fault).
 */
export function registerTestingRoutes(app: FastifyInstance, view: RuntimeView): void {
  app.post<{ Params: { clientOrderId: string } }>('/testing/orders/:clientOrderId/crash', async (request, reply) => {
    const hooks = view.orderFaultHooks;
    if (!hooks) return reply.code(404).send(apiError('not_found', `no route ${request.method} ${request.url.slice(0, 200)}`));
    const { clientOrderId } = request.params;
    if (!ARMABLE_ID.test(clientOrderId)) {
      return reply.code(400).send(apiError('invalid_order_id', 'clientOrderId must be printable characters without spaces'));
    }
    hooks.arm(clientOrderId);
    return reply.code(202).send({ armed: true, clientOrderId });
  });
}
