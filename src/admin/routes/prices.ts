import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { apiError } from '../apiError.ts';
import { readRefusedOnStandby } from '../notActive.ts';
import { apiErrorSchema } from '../schemas/errorViews.ts';
import { pricesViewSchema } from '../schemas/priceViews.ts';

/**
 * `GET /prices`: the consolidated market data of every configured instrument (price, confidence,
 * sources, age). The sources feed the active node's engine, so a standby answers 503 `not_active`.
 */
export function registerPricesRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/prices',
    { schema: { summary: 'Consolidated prices', response: { 200: pricesViewSchema, 503: apiErrorSchema } } },
    async (_request, reply) => {
      if (readRefusedOnStandby(view, reply, 'live market data')) return reply;
      if (!view.prices) return reply.code(503).send(apiError('prices_unavailable', 'no market-data engine runs in this process'));
      return view.prices();
    },
  );
}
