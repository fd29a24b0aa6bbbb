import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { injectedEventSchema, parseInjectedEvent } from '../eventBody.ts';
import { checkedByHandler } from '../requestValidation.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/** Event types of accepted bodies, kept for the per-request log line written once the response is sent. */
export const injectedEventTypes = new WeakMap<FastifyRequest, string>();

const params = z.object({ systemId: z.string().describe('The actor’s system id, as `/actors` lists it (e.g. `order:carry.ES.1`)') });

const acceptedSchema = z.object({
  accepted: z.literal(true),
  systemId: z.string(),
  delivery: z.enum(['delivered', 'buffered']).describe('`buffered`: the actor is restarting and gets the event once it runs again'),
  requestId: z.string(),
});

export function registerEventsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.post<{ Params: { systemId: string } }>(
    '/actors/:systemId/events',
    {
      // parseInjectedEvent answers `invalid_event` with the problem in the message, as clients expect.
      validatorCompiler: checkedByHandler,
      schema: {
        ...routeDocs({
          tag: 'runtime',
          summary: 'Inject an event into an actor',
          description:
            'Sends the event to the actor, as if it came from inside the runtime. The actor must declare the type; event types reserved to the runtime (lifecycle, XState, order-internal, broker-origin) are refused. Any other fields travel with it.',
          access: 'mutation',
        }),
        params,
        body: injectedEventSchema,
        response: {
          202: answer('Delivered to the actor, or held for it while it restarts', acceptedSchema),
          ...errorResponses({
            access: 'mutation',
            body: true,
            codes: {
              400: { invalid_event: 'the body is not an event object, or the actor refuses its type (the message says why)' },
              404: { unknown_actor: 'no actor has this systemId' },
              503: {
                injection_not_recorded: 'an order actor’s event could not be written to its audit trail first, so it was not delivered',
                restart_buffer_full: 'the actor is restarting and its buffer is full: the event was dead-lettered',
              },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      const { systemId } = request.params;
      const parsed = parseInjectedEvent(request.body);
      if ('problem' in parsed) return reply.code(400).send(apiError('invalid_event', parsed.problem));
      injectedEventTypes.set(request, parsed.event.type);

      const refusal = view.validateEvent(systemId, parsed.event);
      if (refusal !== null) {
        return reply.code(400).send(apiError('invalid_event', `actor ${JSON.stringify(systemId)} refused the event: ${refusal}`));
      }
      // Written before delivery (an order's audit trail): an event that cannot be recorded is not delivered.
      const unrecorded = (await view.recordInjection?.(systemId, parsed.event, { requestId: request.id })) ?? null;
      if (unrecorded !== null) {
        return reply
          .code(503)
          .header('retry-after', '1')
          .send(apiError('injection_not_recorded', `the event for ${JSON.stringify(systemId)} was not delivered: ${unrecorded}`));
      }
      const delivery = view.deliver(systemId, parsed.event, { requestId: request.id });
      if (delivery === 'unknown') {
        return reply.code(404).send(apiError('unknown_actor', `no actor with systemId ${JSON.stringify(systemId)}`));
      }
      if (delivery === 'dead_lettered') {
        // The actor is restarting and its hold buffer is full: the event went to the dead-letter channel.
        return reply
          .code(503)
          .header('retry-after', '1')
          .send(apiError('restart_buffer_full', `actor ${JSON.stringify(systemId)} is restarting and its buffer is full; the event was dead-lettered`));
      }
      return reply.code(202).send({ accepted: true, systemId, delivery, requestId: request.id });
    },
  );
}
