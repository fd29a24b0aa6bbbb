import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { haltStateSchema } from '../schemas/haltStateViews.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/** `GET /halt`: whether order intake is halted now, by which causes, who set each and since when. */
export function registerHaltStateRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/halt',
    {
      schema: {
        ...routeDocs({
          tag: 'operator',
          summary: 'Whether order intake is halted',
          description: 'Each cause intake is halted for (an operator’s kill switch, Redis losing its state, …) with its reason, who set it and since when on this node. Empty and `halted: false` while intake runs. Every node follows an operator’s halt within a lease renew interval.',
          access: 'read',
        }),
        response: {
          200: answer('The halt state', haltStateSchema),
          ...errorResponses({ access: 'read', codes: { 503: { halt_switch_unavailable: 'this process runs no order intake' } } }),
        },
      },
    },
    async (_request, reply) => {
      if (!view.haltState) return reply.code(503).send(apiError('halt_switch_unavailable', 'this process has no order-intake halt switch'));
      return view.haltState();
    },
  );
}
