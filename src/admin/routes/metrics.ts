import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RuntimeView } from '../runtimeView.ts';
import { errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

export function registerMetricsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get(
    '/metrics',
    {
      schema: {
        ...routeDocs({ tag: 'runtime', summary: 'Prometheus metrics', description: 'The process’s metrics in the Prometheus text exposition format.', access: 'read' }),
        response: {
          // Sent as text with its own content type, so fastify does not serialize it: this only documents it.
          200: { description: 'The metrics, one sample a line', content: { 'text/plain': { schema: z.string() } } },
          ...errorResponses({ access: 'read' }),
        },
      },
    },
    async (_request, reply) => {
      const text = await view.metricsRegistry.metrics();
      return reply.type(view.metricsRegistry.contentType).send(text);
    },
  );
}
