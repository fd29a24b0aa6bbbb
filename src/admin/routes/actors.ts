import type { FastifyInstance } from 'fastify';
import type { RuntimeView } from '../runtimeView.ts';

export function registerActorsRoute(app: FastifyInstance, view: RuntimeView): void {
  app.get('/actors', async () => view.actorTree());
}
