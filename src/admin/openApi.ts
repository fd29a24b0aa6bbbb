import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const OPENAPI_ROUTE = '/openapi.json';
export const DOCS_ROUTE = '/docs';

// src/admin and dist/admin alike sit two levels below the package.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The API's contract as OpenAPI 3.1, generated from the same zod schemas the routes validate with
 * (`GET /openapi.json`), and a docs page over it (`GET /docs`). Swagger UI's assets are served
 * from the package, and its validator badge (a call to swagger.io) is off: it works offline.
 * Registered before any route, so every route is collected.
 */
export function registerOpenApi(app: FastifyInstance): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tradewire admin API',
        version,
        description:
          'Orders, positions, fills, prices, live events and operator actions of a tradewire node. Mutating routes need the operator bearer token (TRADEWIRE_ADMIN_TOKEN); reads are open on loopback and need a token beyond it.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.register(swaggerUi, {
    routePrefix: DOCS_ROUTE,
    staticCSP: true,
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
  app.register(async (scoped) => {
    scoped.get(OPENAPI_ROUTE, { schema: { hide: true } }, async () => scoped.swagger());
  });
}
