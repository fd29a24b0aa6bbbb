import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { parseInjectedEvent } from '../eventBody.ts';

/** Event types of accepted bodies, kept for the per-request log line written once the response is sent. */
export const injectedEventTypes = new WeakMap<FastifyRequest, string>();

export function registerEventsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.post<{ Params: { systemId: string } }>('/actors/:systemId/events', async (request, reply) => {
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
  });
}
