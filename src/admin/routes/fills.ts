import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { fillPageSchema, fillQuerySchema } from '../schemas/fillViews.ts';
import { answer, errorResponses, INVALID_QUERY } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/**
 * `GET /fills?since=&limit=`: executions from the fills stream (`<ns>:stream:fills`), oldest first,
 * each once, with its commission once IB reported it. `since` is exclusive, so following
 * `nextCursor` reads every execution exactly once; any node answers (the stream is in Redis).
 */
export function registerFillsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/fills',
    {
      schema: {
        ...routeDocs({
          tag: 'fills',
          summary: 'Executions from the fills stream, oldest first',
          description:
            'Each execution once, with its commission once IB reported it. `since` is exclusive, so following `nextCursor` reads every execution exactly once. Any node answers, a standby too: the stream is in Redis.',
          access: 'read',
        }),
        querystring: fillQuerySchema,
        response: {
          200: answer('The executions after `since`', fillPageSchema),
          ...errorResponses({
            access: 'read',
            redis: true,
            codes: {
              400: INVALID_QUERY,
              503: { fills_unavailable: 'this process has no Redis for reads' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      if (!view.orderReads) return reply.code(503).send(apiError('fills_unavailable', 'this process reads no fills (no Redis for reads)'));
      return view.orderReads.fills(request.query.since ?? null, request.query.limit);
    },
  );
}
