import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { reportsViewSchema } from '../schemas/reportViews.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/** `GET /reports`: the next filing deadline, the last 50 filings and the transports they go through. */
export function registerReportsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/reports',
    {
      schema: {
        ...routeDocs({
          tag: 'reports',
          summary: 'Regulatory filings',
          description:
            'The next deadline (a report not filed yet, or the next day close’s large trader file), the last 50 jobs of the `reports` queue with their status and acknowledgement, and each configured transport’s health from its circuit breaker (which runs on the active node only).',
          access: 'read',
        }),
        response: {
          200: answer('Deadline, filings and transports', reportsViewSchema),
          ...errorResponses({ access: 'read', redis: true, codes: { 503: { reports_unavailable: 'this process has no Redis to read filings from' } } }),
        },
      },
    },
    async (_request, reply) => {
      if (!view.reports) return reply.code(503).send(apiError('reports_unavailable', 'this process cannot read regulatory filings'));
      return view.reports();
    },
  );
}
