import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RuntimeView } from '../runtimeView.ts';
import { actorNodeSchema } from '../schemas/actorNodeSchema.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';

export function registerActorsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/actors',
    {
      schema: {
        ...routeDocs({ tag: 'runtime', summary: 'The supervision tree', description: 'Every actor with its state, status, restarts and children (`tradewire actors`).', access: 'read' }),
        response: { 200: answer('The tree from its root supervisor', actorNodeSchema), ...errorResponses({ access: 'read' }) },
      },
    },
    async () => view.actorTree(),
  );
}
