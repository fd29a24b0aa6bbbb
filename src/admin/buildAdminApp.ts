import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../log/logger.ts';
import type { Now } from '../shared/clock.ts';
import type { AdminRequestRecord, RuntimeView } from './runtimeView.ts';
import { adminAuthHook, requestRoles, roleOfToken, sessionRequests } from './adminAuth.ts';
import { checkAdminTokens } from './adminTokens.ts';
import { isLoopbackHost } from './loopback.ts';
import { apiError } from './apiError.ts';
import { registerOpenApi } from './openApi.ts';
import { zodValidatorCompiler } from './requestValidation.ts';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { installErrorHandlers, loggablePath } from './adminErrors.ts';
import { answerClientError } from './clientErrorResponse.ts';
import { REQUEST_ID_HEADER, requestIdFor } from './requestId.ts';
import { registerActiveRoute } from './routes/active.ts';
import { registerActorsRoute } from './routes/actors.ts';
import { registerBreakRoutes } from './routes/breaks.ts';
import { registerDeadLetterRoutes } from './routes/deadLetters.ts';
import { injectedEventTypes, registerEventsRoute } from './routes/events.ts';
import { registerHaltRoutes } from './routes/halt.ts';
import { registerHealthRoute } from './routes/health.ts';
import { registerLiveEventsRoute } from './routes/liveEvents.ts';
import { registerMarketDataHistoryRoute } from './routes/marketDataHistory.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerOrdersRoutes } from './routes/orders.ts';
import { registerOrderQueryRoutes } from './routes/orderQueries.ts';
import { registerFillsRoute } from './routes/fills.ts';
import { registerPositionsRoute } from './routes/positions.ts';
import { registerPricesRoute } from './routes/prices.ts';
import { registerReadyRoute } from './routes/ready.ts';
import { registerTestingRoutes } from './routes/testing.ts';
import { registerActorStreamRoute } from './routes/actorStream.ts';
import { registerAuditVerifyRoute } from './routes/auditVerify.ts';
import { registerBullBoard } from './routes/bullBoard.ts';
import { DEFAULT_CONSOLE_DIR, registerConsoleRoutes } from './routes/console.ts';
import { registerConnectionsRoute } from './routes/connections.ts';
import { registerDeadLetterListRoutes } from './routes/deadLetterLists.ts';
import { registerHaltStateRoute } from './routes/haltState.ts';
import { registerReportsRoute } from './routes/reports.ts';
import { LoginAttempts } from './session/loginAttempts.ts';
import { registerSessionRoutes } from './session/sessionRoutes.ts';
import { SessionStore } from './session/sessionStore.ts';
import { traceRequests } from '../tracing/index.ts';

export const ADMIN_BODY_LIMIT_BYTES = 64 * 1024;

export interface AdminAppOptions {
  view: RuntimeView;
  /** The operator token (admin.token): every route. Without one, mutating routes answer 403. */
  token?: string;
  /** The read-only token (admin.readToken): reads only; a mutation with it answers 403. */
  readToken?: string;
  /** Where the server listens (default loopback); beyond loopback every read but the probes needs a token. */
  host?: string;
  logger: Logger;
  /** Browser sessions (`admin.session`): how long one lives, and whether its cookie is `Secure` (the API behind https). */
  session?: { ttlMs: number; secureCookie: boolean };
  /** Where the built console is (default: the package's `dist/console`). */
  consoleDir?: string;
  /** Epoch ms for session expiry and the login limit (tests move it by hand). */
  now?: Now;
}

/** A session lives 12 hours unless `admin.session.ttlMs` says otherwise. */
const DEFAULT_SESSION = { ttlMs: 12 * 3_600_000, secureCookie: false };

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function adminRequestRecord(request: FastifyRequest, statusCode: number): AdminRequestRecord | null {
  // The role authentication let the request in with: only the operator's mutations get that far.
  const role = requestRoles.get(request);
  // The session routes are public (no role), so a login is never kept with a digest of its token: it is audited as a login (`adminSession`).
  if (!MUTATING.has(request.method) || role !== 'operator') return null;
  return {
    method: request.method as AdminRequestRecord['method'],
    // The route pattern (`/actors/:systemId/events`), so the trail never holds a query string.
    route: request.routeOptions.url ?? loggablePath(request.url).slice(0, 256),
    requestId: request.id,
    role,
    bodyDigest: createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('hex'),
    statusCode,
    ...(sessionRequests.has(request) ? { via: 'session' as const } : {}),
  };
}

/** The admin API as a fastify instance, not yet listening (tests drive it with `inject`). */
export function buildAdminApp(options: AdminAppOptions): FastifyInstance {
  const { view, token, readToken, host = '127.0.0.1', logger, session = DEFAULT_SESSION, consoleDir = DEFAULT_CONSOLE_DIR, now = Date.now } = options;
  checkAdminTokens(token, readToken);
  const sessions = new SessionStore({ ttlMs: session.ttlMs, now });
  const attempts = new LoginAttempts({ now });
  const app = Fastify({
    logger: false,
    bodyLimit: ADMIN_BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (request) => requestIdFor(request.headers[REQUEST_ID_HEADER]),
    clientErrorHandler: answerClientError,
    // Errors raised before routing (e.g. an undecodable URL) bypass the error handler; keep their shape too.
    frameworkErrors: (error, request, rawReply) => {
      // fastify's typing of this hook's reply is generic enough to reject plain calls.
      const reply = rawReply as unknown as FastifyReply;
      reply
        .code(400)
        .header(REQUEST_ID_HEADER, request.id)
        .send(apiError('bad_request', error.message.slice(0, 300)));
    },
  });
  // Only JSON is accepted; dropping the built-in text parser makes fastify answer 415 for anything else.
  app.removeContentTypeParser('text/plain');

  traceRequests(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // Cookies are read where they count (the auth hook and the session routes), not parsed for every request.
  app.register(fastifyCookie, { hook: false });
  app.addHook('onRequest', adminAuthHook({ token, readToken, readsNeedToken: !isLoopbackHost(host), sessions }));
  app.addHook('onResponse', async (request, reply) => {
    const fields = {
      requestId: request.id,
      method: request.method,
      path: loggablePath(request.url),
      statusCode: reply.statusCode,
    };
    if (request.method === 'GET' || request.method === 'HEAD') {
      logger.debug('admin read request', fields);
      return;
    }
    const systemId = (request.params as { systemId?: string } | undefined)?.systemId;
    const eventType = injectedEventTypes.get(request);
    logger.log(reply.statusCode < 400 ? 'info' : 'warn', 'admin mutating request', { ...fields, systemId, eventType });
    // Only requests that got past authentication: anyone can send junk, and the trail is not theirs to fill.
    if (view.auditAdminRequest && reply.statusCode !== 401 && reply.statusCode !== 403) {
      const record = adminRequestRecord(request, reply.statusCode);
      if (record) await view.auditAdminRequest(record).catch((error: Error) => logger.error('admin request not written to the audit trail', { requestId: request.id, error: error.message }));
    }
  });

  installErrorHandlers(app, logger, ADMIN_BODY_LIMIT_BYTES);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerOpenApi(app);
  // In a plugin registered after the OpenAPI one, so its route collector sees every route.
  app.register(async (routes) => {
    registerHealthRoute(routes);
    registerReadyRoute(routes, view);
    registerActiveRoute(routes, view);
    registerActorsRoute(routes, view);
    registerEventsRoute(routes, view);
    registerMetricsRoute(routes, view);
    registerMarketDataHistoryRoute(routes, view);
    routes.register(import('./routes/machines.ts'));
    registerOrdersRoutes(routes, view);
    registerOrderQueryRoutes(routes, view);
    registerFillsRoute(routes, view);
    registerPositionsRoute(routes, view);
    registerPricesRoute(routes, view);
    registerHaltRoutes(routes, view);
    registerBreakRoutes(routes, view, logger);
    registerDeadLetterRoutes(routes, view);
    registerTestingRoutes(routes, view);
    registerLiveEventsRoute(routes, view, logger);
    registerSessionRoutes(routes, { sessions, attempts, roleOf: (presented) => roleOfToken(presented, { token, readToken }), secureCookie: session.secureCookie, view, logger });
    registerConnectionsRoute(routes, view);
    registerHaltStateRoute(routes, view);
    registerDeadLetterListRoutes(routes, view);
    registerReportsRoute(routes, view);
    registerAuditVerifyRoute(routes, view);
    registerActorStreamRoute(routes, view, logger);
    registerConsoleRoutes(routes, consoleDir);
    registerBullBoard(routes, view);
  });
  return app;
}
