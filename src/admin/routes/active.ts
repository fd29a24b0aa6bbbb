import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';

/**
 * `GET /active`: 200 only on the node holding the namespace's lease, so a load balancer sends
 * operator traffic to the one node that writes; a standby answers 503 naming the active node. A
 * process without a lease is alone in its namespace and answers as active.
 */
export function registerActiveRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get('/active', async (_request, reply) => {
    const node = view.nodeRole?.();
    if (!node) return { active: true, nodeId: null, namespace: null, token: null };
    if (node.role === 'active') return { active: true, nodeId: node.nodeId, namespace: node.namespace, token: node.token };
    return reply.code(503).send({ active: false, role: 'standby', activeNodeId: node.activeNodeId });
  });
}
