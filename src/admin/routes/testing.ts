import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { checkedByHandler } from '../requestValidation.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/** Any printable id without spaces (internal child ids included: a TWAP slice can be crashed too); fastify caps its length. */
const ARMABLE_ID = /^[\x21-\x7e]+$/;

const params = z.object({ clientOrderId: z.string().regex(ARMABLE_ID).describe('The order (or TWAP slice, `<parent>:t<n>`) whose actor is to crash') });

const armedSchema = z.object({ armed: z.literal(true), clientOrderId: z.string() });

/**
 * Test-only routes, present only while `testing.faultHooks` is on (404 otherwise, as if absent).
 * `POST /testing/orders/:clientOrderId/crash` arms a crash: that order actor throws inside its next
 * action and is restarted by its supervisor (the chaos matrix's actor-crash fault).
 */
export function registerTestingRoutes(app: FastifyInstance, view: RuntimeView): void {
  app.post<{ Params: { clientOrderId: string } }>(
    '/testing/orders/:clientOrderId/crash',
    {
      // With the hooks off the route answers 404 as if absent, whatever its parameters: so they are checked after.
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'testing',
          summary: 'Arm an order actor crash',
          description:
            'The order’s actor throws inside its next action and is restarted by its supervisor (the chaos matrix’s actor-crash fault). Answers 404, as if absent, unless `testing.faultHooks` is on.',
          access: 'mutation',
        }),
        params,
        response: {
          202: answer('Armed: the crash happens at the actor’s next action', armedSchema),
          ...errorResponses({
            access: 'mutation',
            codes: {
              400: { invalid_order_id: 'the id has spaces or unprintable characters' },
              404: { not_found: '`testing.faultHooks` is off' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      const hooks = view.orderFaultHooks;
      if (!hooks) return reply.code(404).send(apiError('not_found', `no route ${request.method} ${request.url.slice(0, 200)}`));
      const { clientOrderId } = request.params;
      if (!ARMABLE_ID.test(clientOrderId)) {
        return reply.code(400).send(apiError('invalid_order_id', 'clientOrderId must be printable characters without spaces'));
      }
      hooks.arm(clientOrderId);
      return reply.code(202).send({ armed: true, clientOrderId });
    },
  );
}
