import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { readRefusedOnStandby } from '../notActive.ts';
import { pricesViewSchema } from '../schemas/priceViews.ts';
import { answer, errorResponses, NOT_ACTIVE } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

/**
 * `GET /prices`: the consolidated market data of every configured instrument (price, confidence,
 * sources, age, and the ticks quality control rejected). The sources feed the active node's
 * engine, so a standby answers 503 `not_active`.
 */
export function registerPricesRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/prices',
    {
      schema: {
        ...routeDocs({
          tag: 'prices',
          summary: 'Consolidated prices',
          description:
            'The market-data engine’s price of every configured instrument, with its confidence, sources and age. Only the active node answers: the sources feed its engine (a standby answers 503 `not_active`, naming the node to ask).',
          access: 'read',
        }),
        response: {
          200: answer('Every configured instrument’s price', pricesViewSchema),
          ...errorResponses({ access: 'read', codes: { 503: { ...NOT_ACTIVE, prices_unavailable: 'no market-data engine runs in this process' } } }),
        },
      },
    },
    async (_request, reply) => {
      if (readRefusedOnStandby(view, reply, 'live market data')) return reply;
      if (!view.prices) return reply.code(503).send(apiError('prices_unavailable', 'no market-data engine runs in this process'));
      const { prices } = view.prices();
      return { prices: prices.map((row) => ({ ...row, rejects: row.rejects ?? {} })) };
    },
  );
}
