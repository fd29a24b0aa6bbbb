import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const readinessSchema = z.object({
  ready: z.boolean(),
  role: z.enum(['active', 'standby']).describe("This node's place in its namespace (a process without a lease is active)"),
  reasons: z.array(z.string()).describe('Why not ready: one line per permanent child that is not running'),
});

/**
 * Readiness: 200 only while every permanent child runs, so orchestrators hold traffic during
 * restarts. The body always says whether this node is the namespace's active one or a standby.
 */
export function registerReadyRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/ready',
    {
      schema: {
        ...routeDocs({
          tag: 'probes',
          summary: 'Readiness',
          description: '200 only while every permanent child of the supervision tree runs, so an orchestrator holds traffic during restarts.',
          access: 'probe',
        }),
        response: {
          200: answer('Every permanent child runs', readinessSchema),
          503: answer('Not ready: `reasons` says which children are not running', readinessSchema),
          ...errorResponses({ access: 'probe' }),
        },
      },
    },
    async (_request, reply) => {
      const { ready, reasons } = view.readiness();
      const role = view.nodeRole?.().role ?? 'active';
      return reply.code(ready ? 200 : 503).send({ ready, role, reasons });
    },
  );
}
