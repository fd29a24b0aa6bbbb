import type { FastifyInstance } from 'fastify';

/** Liveness: the process is up and serving HTTP; says nothing about the actors. */
export function registerHealthRoute(app: FastifyInstance): void {
  app.get('/health', async () => ({ status: 'ok' }));
}
