import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';

/**
 * Readiness: 200 only while every permanent child runs, so orchestrators hold traffic during
 * restarts. The body always says whether this node is the namespace's active one or a standby.
 */
export function registerReadyRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get('/ready', async (_request, reply) => {
    const { ready, reasons } = view.readiness();
    const role = view.nodeRole?.().role ?? 'active';
    return reply.code(ready ? 200 : 503).send({ ready, role, reasons });
  });
}
