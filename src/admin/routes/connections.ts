import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { connectionsViewSchema } from '../schemas/connectionViews.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/**
 * `GET /connections`: which node this is (active or standby, its fencing token) and its IB
 * connections: gateway, client id, accounts (paper or live), health, data farms, the last error
 * with a hint at its usual cause, the connection breaker and pacing.
 */
export function registerConnectionsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/connections',
    {
      schema: {
        ...routeDocs({
          tag: 'broker',
          summary: 'This node and its IB connections',
          description:
            'The node’s role in its namespace and, on the active node, each IB connection: the gateway and client id in use, the managed accounts and whether they are PAPER or LIVE, health and state, the data farms IB reported broken, the last error with a hint at what usually causes it, the breaker in front of connection attempts and outbound pacing. A standby has no connections: only the active node connects.',
          access: 'read',
        }),
        response: { 200: answer('The node and its connections', connectionsViewSchema), ...errorResponses({ access: 'read' }) },
      },
    },
    async () => {
      const node = view.nodeRole?.();
      return {
        node: node
          ? { role: node.role, nodeId: node.nodeId, namespace: node.namespace, fencingToken: node.token, activeNodeId: node.activeNodeId }
          : { role: 'active' as const, nodeId: 'local', namespace: 'local', fencingToken: null, activeNodeId: null },
        connections: view.connections?.() ?? [],
      };
    },
  );
}
