import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { apiError } from '../apiError.ts';

/** Where `npm run build` writes the console (src/admin/routes and dist/admin/routes alike sit three levels below the package). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

/** The console loads nothing but what this server sends, and no other site may frame it. */
export const CONSOLE_CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

/**
 * The browser console: its page at `GET /` and its assets under `/console/`, from the directory
 * the build writes (`dist/console`). Without one, `GET /` says how to build it (503
 * `console_not_built`). Anyone may load the page (it shows the login form when reads need a
 * session); everything it shows comes from the API's routes, with their own access rules.
 */
export function registerConsoleRoutes(app: FastifyInstance, dir: string): void {
  const indexFile = path.join(dir, 'index.html');
  app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', CONSOLE_CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
      return payload;
    });
    await scope.register(fastifyStatic, { root: dir, prefix: '/console/', index: false, list: false });
    scope.get('/', { schema: { hide: true } }, async (_request, reply) => {
      if (!existsSync(indexFile)) {
        return reply.code(503).send(apiError('console_not_built', `the console is not built (no ${indexFile}): run \`npm run build\`, which writes it to dist/console`));
      }
      // Always asked again, so a rebuilt console is picked up at the next load.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    });
  });
}
