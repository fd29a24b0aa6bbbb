import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { readRefusedOnStandby } from '../notActive.ts';
import { apiErrorSchema } from '../schemas/errorViews.ts';
import { positionsViewSchema } from '../schemas/positionViews.ts';

/**
 * `GET /positions`: per account and contract month, the broker's position next to the position
 * book's, their difference and the open breaks. The book lives in the active node's order
 * service, so a standby answers 503 `not_active`.
 */
export function registerPositionsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/positions',
    { schema: { summary: 'Positions: the broker next to the book, with open breaks', response: { 200: positionsViewSchema, 503: apiErrorSchema } } },
    async (_request, reply) => {
      if (readRefusedOnStandby(view, reply, 'the position book')) return reply;
      const positions = await view.positions?.();
      if (!positions) return reply.code(503).header('retry-after', '1').send(apiError('positions_unavailable', 'no order service runs in this process now (orders disabled, or not started yet)'));
      return positions;
    },
  );
}
