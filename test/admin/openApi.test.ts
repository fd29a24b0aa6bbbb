import { createRequire } from 'node:module';
import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeRoleView, OrderJobSubmission, RuntimeView } from '../../src/admin/runtimeView.ts';
import type { OrderSummary } from '../../src/orders/orderSummary.ts';
import { parseOrderJob } from '../../src/orders/schema/index.ts';
import { orderJobFields } from '../../src/runtime/orderJobFields.ts';
import { checkedByHandler } from '../../src/admin/requestValidation.ts';
import { authorized, makeAdminTestApp } from './adminTestApp.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';

// ajv is not a dependency of ours: it is fastify's, resolved from node_modules for this test only.
const require = createRequire(import.meta.url);
type Validate = ((data: unknown) => boolean) & { errors?: unknown };
interface Ajv {
  addSchema(schema: object): unknown;
  compile(schema: object): Validate;
}
const Ajv2020 = require('ajv/dist/2020.js') as new (options: object) => Ajv;
const addFormats = require('ajv-formats') as (ajv: object) => void;

interface SchemaObject {
  $ref?: string;
  properties?: Record<string, SchemaObject>;
  [keyword: string]: unknown;
}
interface MediaObject {
  schema: SchemaObject;
}
interface Operation {
  tags?: string[];
  summary?: string;
  parameters?: { in: string; name: string; required?: boolean; schema: SchemaObject }[];
  requestBody?: { content: Record<string, MediaObject> };
  responses: Record<string, { description: string; content?: Record<string, MediaObject> }>;
}
interface OpenApiDocument {
  openapi: string;
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject> };
}

/** An order the namespace knows: a new order of its id is a duplicate, a cancel or modify of any other is of an unknown order. */
const KNOWN_ORDER: OrderSummary = {
  clientOrderId: 'carry.ES.1',
  state: 'working',
  terminal: false,
  account: 'DU1234567',
  symbol: 'ES',
  contractMonth: '202703',
  side: 'BUY',
  quantity: 2,
  orderType: 'LMT',
  limitPrice: 5000.25,
  stopPrice: null,
  timeInForce: 'DAY',
  strategy: 'carry',
  filledQuantity: 1,
  averagePrice: 5000,
  receivedAt: '2026-12-07T15:00:00.000Z',
  updatedAt: '2026-12-07T15:00:01.000Z',
  url: '/orders/carry.ES.1',
};

/** Order intake as the runtime's: the job parsed as every producer's is, a new order once per clientOrderId, a cancel or modify only of a known order. */
async function submitOrderJob(job: unknown): Promise<OrderJobSubmission> {
  const parsed = parseOrderJob(job);
  if (!parsed.ok) return { accepted: false, errors: parsed.errors, fields: orderJobFields(job) };
  const { clientOrderId, type } = parsed.job;
  const known = clientOrderId === KNOWN_ORDER.clientOrderId;
  if (type === 'new') return known ? { accepted: false, duplicate: KNOWN_ORDER } : { accepted: true, jobId: clientOrderId, clientOrderId };
  return known ? { accepted: true, jobId: '41', clientOrderId } : { accepted: false, unknownOrder: `no order ${clientOrderId} is stored or queued in this namespace; nothing was queued` };
}

const FILL = {
  id: '1765119600000-0',
  execId: '0000e0d5.6566.01.01',
  clientOrderId: 'carry.ES.1',
  account: 'DU1234567',
  symbol: 'ES',
  contractMonth: '202703',
  side: 'BOT',
  price: 5000,
  quantity: 1,
  time: '2026-12-07T15:00:01.000Z',
  commission: null,
};

/** A process with every capability the routes ask of it, each answering as plainly as it can. */
function capableView(): FakeRuntimeView {
  const view = new FakeRuntimeView();
  Object.assign(view, {
    haltSwitch: {
      causes: () => ({}),
      halt: async () => ({ halted: true, causes: ['operator'], auditSeq: 1, cancelRequested: 0 }),
      resume: async () => ({ resumed: false, code: 'not_halted', message: 'order intake is not halted' }),
    },
    clearBreak: async () => true,
    deadLetterQueues: () => ['orders'],
    replayDeadLetters: async (_queue: string, id?: string) =>
      id === undefined ? { replayed: 0, alreadyReplayed: 0, inProgress: 0, notReplayable: 0, results: [] } : { id: `orders:dead:${id}`, status: 'replayed', jobId: 'replay-1' },
    purgeDeadLetters: async () => [],
    submitOrderJob,
    orderReads: {
      listOrders: async () => ({ orders: [KNOWN_ORDER], nextCursor: null }),
      order: async (clientOrderId: string) =>
        clientOrderId === KNOWN_ORDER.clientOrderId
          ? {
              ...KNOWN_ORDER,
              ibOrderId: 7,
              brokerStatus: 'Submitted',
              rejectReason: null,
              commission: 0,
              executions: [{ execId: FILL.execId, price: 5000, quantity: 1, time: FILL.time, commission: null }],
              history: [{ at: KNOWN_ORDER.receivedAt, kind: 'orderReceived', seq: 1 }],
            }
          : null,
      fills: async (since: string | null) => ({ fills: [FILL], nextCursor: since ?? FILL.id }),
    },
    positions: async () => ({
      asOf: '2026-12-07T15:00:02.000Z',
      positions: [{ account: 'DU1234567', symbol: 'ES', contractMonth: '202703', broker: 1, internal: 1, difference: 0, break: null }],
      breaks: [],
    }),
    prices: () => ({
      prices: [{ symbol: 'ES', contractMonth: '202703', bid: 4999.75, ask: 5000.25, last: 5000, price: 5000, confidence: 0.25, sources: 2, updatedAt: '2026-12-07T15:00:02.000Z', ageMs: 40, rejects: { crossed: 2 } }],
    }),
    connections: () => [
      {
        id: 'ib',
        gateway: { host: '127.0.0.1', port: 4002 },
        clientId: 1,
        accounts: ['DU1234567'],
        accountType: 'PAPER',
        health: 'healthy',
        state: 'connected',
        dataFarms: [{ name: 'usfarm', ok: true }],
        lastError: { code: 1100, message: 'Connectivity between IB and TWS has been lost', at: '2026-12-07T15:00:00.000Z', cause: 'connectivity_lost', hint: 'IB Gateway lost its own connection to IB' },
        breaker: { state: 'closed' },
        pacing: { ratePerSecond: 45, burst: 10, queued: 0 },
      },
    ],
    haltState: () => ({ halted: false, causes: [] }),
    deadLetterOverview: async () => [{ name: 'orders', counts: { waiting: 0, active: 0, delayed: 0, prioritized: 0, completed: 3, failed: 0 }, dead: 1 }],
    deadLetterList: async () => [
      { id: 'orders:dead:7', jobId: '7', kind: 'unrecoverable', reason: 'quantity: required', deadLetteredAt: '2026-12-07T15:00:00.000Z', attempts: 1, replayedAt: null, replayable: true, data: { bad: true } },
    ],
    reports: async () => ({
      nextDeadline: { report: 'CFTC large-trader 2026-12-07', due: '2026-12-08T14:00:00.000Z' },
      filings: [{ id: '1', report: 'CFTC large-trader', date: '2026-12-04', status: 'filed', filedAt: '2026-12-04T23:00:00.000Z', acknowledgement: 'accepted' }],
      transports: [{ name: 'CFTC (file)', health: 'healthy', lastError: null }],
    }),
    verifyAudit: async () => ({ ok: true, records: 12, problems: [] }),
    auditAdminSession: async () => undefined,
  } satisfies Partial<RuntimeView>);
  return view;
}

/** The probes answer 503 with their own body (not ready, a standby), not an error. */
const PROBE_ANSWERS = new Set(['GET /ready 503', 'GET /active 503']);

/** The codes a request that fails its schema is answered with: each carries `fields`. */
const VALIDATION_CODES = new Set(['invalid_body', 'invalid_query', 'invalid_path', 'invalid_order']);

const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const isDocumented = (route: RouteOptions) => route.method !== 'HEAD' && !(route.schema as { hide?: boolean } | undefined)?.hide;
const methodsOf = (route: RouteOptions) => (Array.isArray(route.method) ? route.method : [route.method]);

let app: FastifyInstance;
let document: OpenApiDocument;
const routes: RouteOptions[] = [];
/** A route's documented answer for one status, as an ajv validator whose references resolve into the document. */
let answerValidator: (path: string, method: string, status: number) => Validate | undefined;

beforeAll(async () => {
  ({ app } = makeAdminTestApp({ view: capableView() }));
  app.addHook('onRoute', (route) => void routes.push(route));
  await app.ready();
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  document = response.json();
  const compile = schemaCompiler(document);
  const cache = new Map<string, Validate | undefined>();
  answerValidator = (path, method, status) => {
    const key = `${method} ${path} ${status}`;
    if (!cache.has(key)) {
      const schema = document.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content?.['application/json']?.schema;
      cache.set(key, schema ? compile(schema) : undefined);
    }
    return cache.get(key);
  };
});
afterAll(() => app?.close());

/** Compiles schemas of the document with ajv (JSON Schema 2020-12, strict), `#/components/schemas/*` resolving to the document's. */
function schemaCompiler(doc: OpenApiDocument): (schema: SchemaObject) => Validate {
  const base = 'https://tradewire.test/openapi.json';
  const rebased = <T>(schema: T): T => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${base}#/$defs/`)) as T;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: base, $defs: rebased(doc.components.schemas) });
  return (schema) => ajv.compile(rebased(schema));
}

/** The component a `$ref` names, if it names one. */
function componentOf(ref: string | undefined): SchemaObject | undefined {
  const prefix = '#/components/schemas/';
  return ref?.startsWith(prefix) ? document.components.schemas[ref.slice(prefix.length)] : undefined;
}

/** Every operation of the document as `METHOD path` → operation. */
function operations(doc: OpenApiDocument): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) found.set(`${method.toUpperCase()} ${path}`, operation);
  }
  return found;
}

/** Every schema the document holds: components, parameters, bodies and answers. */
function everySchema(doc: OpenApiDocument): SchemaObject[] {
  const schemas = Object.values(doc.components.schemas);
  for (const operation of operations(doc).values()) {
    schemas.push(...(operation.parameters ?? []).map((parameter) => parameter.schema));
    schemas.push(...Object.values(operation.requestBody?.content ?? {}).map((media) => media.schema));
    for (const response of Object.values(operation.responses)) schemas.push(...Object.values(response.content ?? {}).map((media) => media.schema));
  }
  return schemas;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, and every schema in it is valid JSON Schema 2020-12 whose references resolve', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    const compile = schemaCompiler(document);
    const schemas = everySchema(document);
    expect(schemas.length).toBeGreaterThan(50);
    for (const schema of schemas) expect(() => compile(schema), JSON.stringify(schema).slice(0, 300)).not.toThrow();
  });

  it('documents every route the app registers, with its method, and no route it does not', () => {
    const registered = routes.filter(isDocumented).flatMap((route) => methodsOf(route).map((method) => `${method} ${openApiPath(route.url)}`));
    expect(registered.length).toBeGreaterThanOrEqual(15);
    expect([...operations(document).keys()].sort()).toEqual([...new Set(registered)].sort());
  });

  it('gives every route a group listed in the document, a summary and a described success answer', () => {
    const groups = new Set(document.tags.map((tag) => tag.name));
    for (const [operationName, operation] of operations(document)) {
      expect(operation.summary, operationName).toEqual(expect.any(String));
      expect(operation.tags?.length, operationName).toBe(1);
      expect(groups.has(operation.tags![0]!), `${operationName}: tag ${operation.tags![0]} is not in the document's tags`).toBe(true);
      const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect(successes.length, operationName).toBeGreaterThan(0);
      for (const [status, response] of successes) {
        expect(response.description, `${operationName} ${status}`).not.toBe('Default Response');
        // A 204 has no body to describe.
        if (status !== '204') expect(Object.keys(response.content ?? {}), `${operationName} ${status}`).not.toEqual([]);
      }
    }
  });

  it('documents the body, the query and the path parameters of every route that takes them', () => {
    const checked = { body: 0, query: 0, path: 0 };
    for (const route of routes.filter(isDocumented)) {
      const path = openApiPath(route.url);
      const schema = (route.schema ?? {}) as { body?: unknown; querystring?: unknown; params?: unknown };
      for (const method of methodsOf(route)) {
        const operation = document.paths[path]![method.toLowerCase()]!;
        const parameters = operation.parameters ?? [];
        if (schema.body) {
          checked.body += 1;
          const body = operation.requestBody?.content['application/json']?.schema;
          expect(body?.properties, `${method} ${path}: body`).toBeDefined();
          expect(Object.keys(body!.properties!).length, `${method} ${path}: body properties`).toBeGreaterThan(0);
        }
        if (schema.querystring) {
          checked.query += 1;
          expect(parameters.filter((parameter) => parameter.in === 'query').length, `${method} ${path}: query`).toBeGreaterThan(0);
        }
        for (const [, name] of route.url.matchAll(/:([A-Za-z0-9_]+)/g)) {
          checked.path += 1;
          expect(schema.params, `${method} ${path}: no params schema`).toBeDefined();
          expect(parameters.find((parameter) => parameter.in === 'path' && parameter.name === name), `${method} ${path}: {${name}}`).toMatchObject({ required: true });
        }
      }
    }
    expect(checked.body).toBeGreaterThanOrEqual(6);
    expect(checked.query).toBeGreaterThanOrEqual(1);
    expect(checked.path).toBeGreaterThanOrEqual(6);
  });

  it('answers every error in the one error shape, each status saying which codes it carries', () => {
    const { ApiError, ErrorDetail, FieldError } = document.components.schemas;
    expect(ApiError?.properties?.error).toEqual({ $ref: '#/components/schemas/ErrorDetail' });
    expect(ErrorDetail).toMatchObject({ required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, fields: { items: { $ref: '#/components/schemas/FieldError' } } } });
    expect(FieldError).toMatchObject({ required: ['field', 'message'] });
    let errors = 0;
    for (const [operationName, operation] of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || PROBE_ANSWERS.has(`${operationName} ${status}`)) continue;
        errors += 1;
        const schema = response.content?.['application/json']?.schema;
        // The shape itself, or one extending it with what the error carries (a 409 with the order), inline or as its own component.
        const extended = [schema, componentOf(schema?.$ref)].some((candidate) => candidate?.properties?.error?.$ref === '#/components/schemas/ErrorDetail');
        const refersToTheShape = schema?.$ref === '#/components/schemas/ApiError' || extended;
        expect(refersToTheShape, `${operationName} ${status}: ${JSON.stringify(schema)}`).toBe(true);
        expect(response.description, `${operationName} ${status}`).toMatch(/`[a-z_]+`/);
      }
    }
    expect(errors).toBeGreaterThan(40);
  });
});

describe('GET /docs', () => {
  const get = (url: string) => app.inject({ method: 'GET', url });
  const FOREIGN = /https?:\/\/(?!localhost[:/])/;

  it.each(['/docs', '/docs/'])('%s is Swagger UI, every asset of it served by the app itself', async (page) => {
    const html = await get(page);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...html.body.matchAll(/\s(?:src|href)="([^"]+)"/g)].map(([, url]) => url!);
    expect(assets.filter((url) => url.endsWith('.js')).length).toBeGreaterThanOrEqual(3);
    expect(assets.filter((url) => url.endsWith('.css')).length).toBeGreaterThanOrEqual(1);
    for (const asset of assets) {
      expect(asset, 'an absolute URL').not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset, `http://localhost${page}`);
      const response = await get(url.pathname);
      expect(response.statusCode, asset).toBe(200);
      if (asset.endsWith('.css')) {
        // Styles pull nothing in from elsewhere: every url() is inline data.
        expect(response.body).not.toMatch(/@import/);
        for (const [, target] of response.body.matchAll(/url\(\s*["']?([^"')]+)/g)) expect(target, asset).toMatch(/^data:/);
      }
    }
    expect(html.body).not.toMatch(FOREIGN);
  });

  it('has the swagger.io validator off, loads the document this app serves, and its policy allows nothing from elsewhere', async () => {
    const initializer = await get('/docs/static/swagger-initializer.js');
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toMatch(/const config = \{[^}]*"validatorUrl":null/);
    expect(initializer.body).toContain("url: resolveUrl('./json')");
    // Its one URL outside code is in a comment.
    expect(initializer.body.replace(/^\s*\/\/.*$/gm, '')).not.toMatch(FOREIGN);
    const served = await get('/docs/json');
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(document);

    const policy = String((await get('/docs')).headers['content-security-policy']);
    const sources = policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/).slice(1))
      .flat()
      .filter(Boolean);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((source) => ["'self'", "'none'", 'data:'].includes(source)), policy).toBe(true);
    expect(policy).not.toContain('upgrade-insecure-requests');
  });
});

describe('a random body to any route with a body schema', () => {
  it('answers 2xx or 4xx JSON as documented: an error has a code, a failed schema names each field', async () => {
    const PARAMETER_VALUES: Record<string, string> = { systemId: 'market-data', queue: 'orders', symbol: 'ES', clientOrderId: 'carry.ES.1' };
    const bodyRoutes = routes
      .filter((route) => isDocumented(route) && (route.schema as { body?: unknown } | undefined)?.body)
      .flatMap((route) =>
        methodsOf(route).map((method) => {
          const path = openApiPath(route.url);
          const properties = Object.keys(document.paths[path]![method.toLowerCase()]!.requestBody!.content['application/json']!.schema.properties ?? {});
          return { method, path, url: route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => PARAMETER_VALUES[name] ?? 'x'), properties };
        }),
      );
    expect(bodyRoutes.length).toBeGreaterThanOrEqual(6);

    const value = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('', '  ', 'x', 'two words', '7d', '0ms', 'abc', 'orders:dead:1', 'ES', 'X', true, false, 0, -1, 1.5, null));
    const request = fc.constantFrom(...bodyRoutes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        payload: fc.oneof(
          { weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...route.properties, 'type', 'extra'), value, { maxKeys: 4 }).map((body) => JSON.stringify(body)) },
          { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((body) => JSON.stringify(body)) },
          { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
        ),
      }),
    );

    const answered = new Set<number>();
    let failedSchema = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ route, payload }) => {
        const response = await app.inject({ method: route.method as 'POST', url: route.url, headers: { ...authorized, 'content-type': 'application/json' }, payload });
        const status = response.statusCode;
        answered.add(status);
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
        const body = response.json() as { error?: { code?: unknown; fields?: { field: string; message: string }[] } };
        const documented = answerValidator(route.path, route.method, status);
        expect(documented, `${route.method} ${route.path} answered ${status}, which it does not document`).toBeDefined();
        expect(documented!(body), `${route.method} ${route.path} ${status}: ${response.body} ${JSON.stringify(documented!.errors)}`).toBe(true);
        if (status < 400) return;
        expect(body.error?.code).toEqual(expect.any(String));
        if (!VALIDATION_CODES.has(body.error!.code as string)) return;
        failedSchema += 1;
        expect(body.error!.fields?.length, response.body).toBeGreaterThan(0);
        const sent = JSON.parse(payload) as unknown;
        const named = new Set(['body', ...route.properties, ...(sent !== null && typeof sent === 'object' ? Object.keys(sent) : [])]);
        // A key may hold a dot itself, so a field is named by a known or sent key it starts with.
        const namesOne = (field: string) => [...named].some((name) => field === name || field.startsWith(`${name}.`));
        for (const { field, message } of body.error!.fields!) {
          expect(namesOne(field), `${field} is no field of ${route.method} ${route.path}: ${response.body}`).toBe(true);
          expect(message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
    // The bodies reached the routes' own checks, and some got through them.
    expect([...answered].some((status) => status >= 200 && status < 300)).toBe(true);
    expect(failedSchema).toBeGreaterThan(30);
  });
});

describe('a random query to any route whose query schema validates it', () => {
  it('answers 2xx or 400 JSON as documented: a failed query names each parameter', async () => {
    // A stream (`GET /events`, text/event-stream) never ends with a JSON answer to check: its query is tested with the route.
    const answersJson = (route: RouteOptions) => methodsOf(route).every((method) => document.paths[openApiPath(route.url)]![method.toLowerCase()]!.responses['200']?.content?.['application/json']);
    const queryRoutes = routes
      .filter((route) => isDocumented(route) && (route.schema as { querystring?: unknown } | undefined)?.querystring && route.validatorCompiler !== checkedByHandler && answersJson(route))
      .flatMap((route) =>
        methodsOf(route).map((method) => {
          const path = openApiPath(route.url);
          const parameters = (document.paths[path]![method.toLowerCase()]!.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
          return { method, path, url: route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => (name === 'queue' ? 'orders' : 'carry.ES.1')), parameters };
        }),
      );
    expect(queryRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(['GET /dlq/{queue}', 'GET /fills', 'GET /orders']);

    const cursor = Buffer.from('1765119600000:carry.ES.1').toString('base64url');
    const value = fc.oneof(
      fc.constantFrom('', ' ', 'x', '0', '1', '100', '501', '1001', '-1', '1.5', 'open', 'terminal', 'all', 'carry', 'ES', '5-0', '1-', '2026-12-07T15:00:00Z', 'yesterday', cursor, 'bm9wZQ'),
      fc.string({ maxLength: 12 }),
    );
    const request = fc.constantFrom(...queryRoutes).chain((route) =>
      fc.record({ route: fc.constant(route), query: fc.dictionary(fc.constantFrom(...route.parameters, 'extra'), value, { maxKeys: 4 }) }),
    );

    const answered = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ route, query }) => {
        const response = await app.inject({ method: route.method as 'GET', url: `${route.url}?${new URLSearchParams(query)}`, headers: authorized });
        const status = response.statusCode;
        answered.add(status);
        expect([200, 400], response.body).toContain(status);
        const body = response.json() as { error?: { code?: string; fields?: { field: string; message: string }[] } };
        const documented = answerValidator(route.path, route.method, status);
        expect(documented!(body), `${route.method} ${route.path} ${status}: ${response.body} ${JSON.stringify(documented!.errors)}`).toBe(true);
        if (status === 200) return;
        expect(body.error?.code).toBe('invalid_query');
        expect(body.error!.fields?.length, response.body).toBeGreaterThan(0);
        for (const { field } of body.error!.fields!) expect([...route.parameters, ...Object.keys(query), 'query'], response.body).toContain(field);
      }),
      { numRuns: 200 },
    );
    expect(answered).toEqual(new Set([200, 400]));
  });
});

describe('the order, fill, position and price routes', () => {
  const STANDBY: NodeRoleView = { role: 'standby', namespace: 'ns', nodeId: 'node-b', token: null, activeNodeId: 'node-a' };
  const standbyView = () => Object.assign(capableView(), { nodeRole: () => STANDBY });
  const order = (clientOrderId: string) => ({ clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'carry' });

  /** Which process, the request (the documented path and the URL sent), and the answer: its status and, for an error, its code. */
  type Case = [view: 'capable' | 'standby' | 'bare', method: 'GET' | 'POST', path: string, url: string, status: number, code?: string, payload?: object];
  const CASES: Case[] = [
    ['capable', 'GET', '/orders', '/orders?state=open&limit=5', 200],
    ['capable', 'GET', '/orders', '/orders?limit=0', 400, 'invalid_query'],
    ['capable', 'GET', '/orders/{clientOrderId}', '/orders/carry.ES.1', 200],
    ['capable', 'GET', '/orders/{clientOrderId}', '/orders/nobody', 404, 'order_not_found'],
    ['capable', 'GET', '/orders/{clientOrderId}', '/orders/two%20words', 400, 'invalid_path'],
    ['capable', 'GET', '/fills', '/fills?since=5-0', 200],
    ['capable', 'GET', '/fills', '/fills?since=abc', 400, 'invalid_query'],
    ['capable', 'GET', '/positions', '/positions', 200],
    ['capable', 'GET', '/prices', '/prices', 200],
    ['capable', 'POST', '/orders', '/orders', 202, '', order('carry.ES.2')],
    ['capable', 'POST', '/orders', '/orders', 409, 'duplicate_order', order('carry.ES.1')],
    ['capable', 'POST', '/orders', '/orders', 400, 'invalid_order', { ...order('carry.ES.2'), quantity: -1 }],
    ['capable', 'POST', '/orders/{clientOrderId}/cancel', '/orders/carry.ES.1/cancel', 202],
    ['capable', 'POST', '/orders/{clientOrderId}/cancel', '/orders/nobody/cancel', 404, 'order_not_found'],
    ['capable', 'POST', '/orders/{clientOrderId}/modify', '/orders/carry.ES.1/modify', 202, '', { quantity: 3 }],
    ['capable', 'POST', '/orders/{clientOrderId}/modify', '/orders/nobody/modify', 404, 'order_not_found', { quantity: 3 }],
    ['capable', 'POST', '/orders/{clientOrderId}/modify', '/orders/carry.ES.1/modify', 400, 'invalid_order', { quantity: 'three' }],
    ['standby', 'GET', '/orders', '/orders', 200],
    ['standby', 'GET', '/fills', '/fills', 200],
    ['standby', 'GET', '/positions', '/positions', 503, 'not_active'],
    ['standby', 'GET', '/prices', '/prices', 503, 'not_active'],
    ['standby', 'POST', '/orders', '/orders', 202, '', order('carry.ES.3')],
    ['bare', 'GET', '/orders', '/orders', 503, 'orders_unavailable'],
    ['bare', 'GET', '/orders/{clientOrderId}', '/orders/carry.ES.1', 503, 'orders_unavailable'],
    ['bare', 'GET', '/fills', '/fills', 503, 'fills_unavailable'],
    ['bare', 'GET', '/positions', '/positions', 503, 'positions_unavailable'],
    ['bare', 'GET', '/prices', '/prices', 503, 'prices_unavailable'],
    ['bare', 'POST', '/orders', '/orders', 503, 'orders_unavailable', order('carry.ES.2')],
    ['bare', 'POST', '/orders/{clientOrderId}/cancel', '/orders/carry.ES.1/cancel', 503, 'orders_unavailable'],
  ];
  const apps = new Map<Case[0], FastifyInstance>();
  beforeAll(() => {
    apps.set('capable', app);
    apps.set('standby', makeAdminTestApp({ view: standbyView() }).app);
    apps.set('bare', makeAdminTestApp({ view: new FakeRuntimeView() }).app);
  });
  afterAll(() => Promise.all([apps.get('standby')?.close(), apps.get('bare')?.close()]));

  it.each(CASES)('%s process: %s %s (%s) answers %i %s as documented', async (kind, method, path, url, status, code, payload) => {
    const response = await apps.get(kind)!.inject({ method, url, headers: authorized, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBe(status);
    const body = response.json() as { error?: { code: string } };
    const documented = answerValidator(path, method, status);
    expect(documented, `${method} ${path} does not document ${status}`).toBeDefined();
    expect(documented!(body), `${response.body} ${JSON.stringify(documented!.errors)}`).toBe(true);
    if (!code) return;
    expect(body.error?.code).toBe(code);
    expect(document.paths[path]![method.toLowerCase()]!.responses[String(status)]!.description, `${code} is not among the documented codes`).toContain(`\`${code}\``);
  });
});
