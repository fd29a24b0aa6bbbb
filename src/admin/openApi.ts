import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { API_TAGS } from './schemas/apiTags.ts';

export const OPENAPI_ROUTE = '/openapi.json';
export const DOCS_ROUTE = '/docs';

// src/admin and dist/admin alike sit two levels below the package.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The docs page loads nothing but what this server sends: no fonts or styles from elsewhere, no
 * validator badge from swagger.io, and no upgrade to https (the API is plain HTTP on loopback).
 */
const DOCS_CSP = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

const REF_PREFIX = '#/components/schemas/';

type OpenApiDocument = ReturnType<typeof jsonSchemaTransformObject>;

/**
 * The document without components no route refers to: zod's registry gives every registered
 * schema an input and an output component (`ApiErrorInput` beside `ApiError`), and the docs page
 * would list both.
 */
function withoutUnreferencedSchemas(document: OpenApiDocument): OpenApiDocument {
  const components = (document as { components?: { schemas?: Record<string, unknown> } }).components;
  const schemas = components?.schemas ?? {};
  const referenced = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith(REF_PREFIX)) {
        const name = inner.slice(REF_PREFIX.length);
        if (!referenced.has(name)) {
          referenced.add(name);
          visit(schemas[name]);
        }
      } else visit(inner);
    }
  };
  visit({ ...document, components: { ...components, schemas: {} } });
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => referenced.has(name)));
  return { ...document, components: { ...components, schemas: kept } } as OpenApiDocument;
}

/** The document's groups without those no route names (the docs page would show them empty). */
function withUsedTagsOnly(document: OpenApiDocument): OpenApiDocument {
  const { paths = {}, tags = [] } = document as { paths?: Record<string, Record<string, { tags?: string[] }>>; tags?: { name: string }[] };
  const used = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((operation) => operation.tags ?? [])));
  return { ...document, tags: tags.filter((tag) => used.has(tag.name)) } as OpenApiDocument;
}

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
        description: [
          'Orders, positions, fills, prices, live events and operator actions of a tradewire node.',
          'Mutating routes need the operator bearer token (`TRADEWIRE_ADMIN_TOKEN`) and are recorded in the audit trail; reads are open on loopback and need the operator or the read-only token (`TRADEWIRE_READ_TOKEN`) beyond it; `/health`, `/ready` and `/active` never need one.',
          'Every error answers `{"error": {"code", "message", "fields"?}}` (`ApiError`); `fields` names each field of a request that was wrong.',
        ].join('\n\n'),
      },
      tags: API_TAGS.map((tag) => ({ ...tag })),
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // The console's login (POST /session) sets it; a mutation by cookie also needs the x-csrf-token header.
          session: { type: 'apiKey', in: 'cookie', name: 'tw_session', description: 'Browser session from POST /session; mutations also need the x-csrf-token header' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => withUsedTagsOnly(withoutUnreferencedSchemas(jsonSchemaTransformObject(document))),
  });
  app.register(swaggerUi, {
    routePrefix: DOCS_ROUTE,
    staticCSP: DOCS_CSP,
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
  app.register(async (scoped) => {
    scoped.get(OPENAPI_ROUTE, { schema: { hide: true } }, async () => scoped.swagger());
  });
}
