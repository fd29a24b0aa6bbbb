import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { readRefusedOnStandby } from '../notActive.ts';
import { positionsViewSchema } from '../schemas/positionViews.ts';
import { answer, errorResponses, NOT_ACTIVE } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/**
 * `GET /positions`: per account and contract month, the broker's position next to the position
 * book's, their difference and the open breaks, with each row's limit and reportable level (unknown
 * when the runtime does not say). The book lives in the active node's order service, so a standby
 * answers 503 `not_active`.
 */
export function registerPositionsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/positions',
    {
      schema: {
        ...routeDocs({
          tag: 'positions',
          summary: 'Positions: the broker next to the book, with open breaks',
          description:
            'Per account and contract month, the broker’s position next to the position book’s and their difference, with the open reconciliation breaks. Only the active node answers: the book lives in its order service (a standby answers 503 `not_active`, naming the node to ask).',
          access: 'read',
        }),
        response: {
          200: answer('The positions and open breaks', positionsViewSchema),
          ...errorResponses({
            access: 'read',
            redis: true,
            codes: { 503: { ...NOT_ACTIVE, positions_unavailable: 'no order service runs in this process now (orders disabled, or not started yet)' } },
          }),
        },
      },
    },
    async (_request, reply) => {
      if (readRefusedOnStandby(view, reply, 'the position book')) return reply;
      const positions = await view.positions?.();
      if (!positions) return reply.code(503).header('retry-after', '1').send(apiError('positions_unavailable', 'no order service runs in this process now (orders disabled, or not started yet)'));
      return { ...positions, positions: positions.positions.map((row) => ({ ...row, limit: row.limit ?? null, reportableLevel: row.reportableLevel ?? null, reportable: row.reportable ?? false })) };
    },
  );
}
