import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { apiErrorSchema } from '../schemas/errorViews.ts';
import { fillPageSchema, fillQuerySchema } from '../schemas/fillViews.ts';

/**
 * `GET /fills?since=&limit=`: executions from the fills stream (`<ns>:stream:fills`), oldest first,
 * each once, with its commission once IB reported it. `since` is exclusive, so following
 * `nextCursor` reads every execution exactly once; any node answers (the stream is in Redis).
 */
export function registerFillsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/fills',
    { schema: { summary: 'Executions from the fills stream, oldest first', querystring: fillQuerySchema, response: { 200: fillPageSchema, 400: apiErrorSchema, 503: apiErrorSchema } } },
    async (request, reply) => {
      if (!view.orderReads) return reply.code(503).send(apiError('fills_unavailable', 'this process reads no fills (no Redis for reads)'));
      return view.orderReads.fills(request.query.since ?? null, request.query.limit);
    },
  );
}
