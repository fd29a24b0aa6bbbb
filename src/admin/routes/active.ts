import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const activeSchema = z.object({
  active: z.literal(true),
  nodeId: z.string().nullable().describe('null when no lease runs: the process is alone in its namespace'),
  namespace: z.string().nullable(),
  token: z.number().int().nullable().describe('The fencing token this node holds'),
});

const standbySchema = z.object({
  active: z.literal(false),
  role: z.literal('standby'),
  activeNodeId: z.string().nullable().describe('The node holding the lease as last seen, or null when none does'),
});

/**
 * `GET /active`: 200 only on the node holding the namespace's lease, so a load balancer sends
 * operator traffic to the one node that writes; a standby answers 503 naming the active node. A
 * process without a lease is alone in its namespace and answers as active.
 */
export function registerActiveRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/active',
    {
      schema: {
        ...routeDocs({
          tag: 'probes',
          summary: 'Is this the active node?',
          description: '200 only on the node holding the namespace’s lease, so a load balancer sends operator traffic to the one node that writes.',
          access: 'probe',
        }),
        response: {
          200: answer('This node is active (or runs without a lease)', activeSchema),
          503: answer('This node is a standby', standbySchema),
          ...errorResponses({ access: 'probe' }),
        },
      },
    },
    async (_request, reply) => {
      const node = view.nodeRole?.();
      if (!node) return { active: true as const, nodeId: null, namespace: null, token: null };
      if (node.role === 'active') return { active: true as const, nodeId: node.nodeId, namespace: node.namespace, token: node.token };
      return reply.code(503).send({ active: false, role: 'standby', activeNodeId: node.activeNodeId });
    },
  );
}
