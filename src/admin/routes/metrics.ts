import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';

export function registerMetricsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get('/metrics', async (_request, reply) => {
    const text = await view.metricsRegistry.metrics();
    return reply.type(view.metricsRegistry.contentType).send(text);
  });
}
