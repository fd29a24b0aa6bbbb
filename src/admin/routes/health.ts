import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, answer } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

const healthSchema = z.object({ status: z.literal('ok') });

/** Liveness: the process is up and serving HTTP; says nothing about the actors. */
export function registerHealthRoute(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      schema: {
        ...routeDocs({ tag: 'probes', summary: 'Liveness', description: 'The process is up and serving HTTP; says nothing about the actors (see `/ready`).', access: 'probe' }),
        response: { 200: answer('Always, while the process serves HTTP', healthSchema), ...errorResponses({ access: 'probe' }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
}
