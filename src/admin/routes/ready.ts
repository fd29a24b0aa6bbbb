import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../../runtime/runtimeView';

/** Readiness: 200 only while every permanent child runs, so orchestrators hold traffic during restarts. */
export function registerReadyRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get('/ready', async (_request, reply) => {
    const { ready, reasons } = view.readiness();
    return ready ? { ready: true } : reply.code(503).send({ ready: false, reasons });
  });
}
