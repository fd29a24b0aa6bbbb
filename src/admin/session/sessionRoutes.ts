import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from '../../log/logger.ts';
import type { AdminRole } from '../adminAuth.ts';
import { apiError, type ApiErrorBody } from '../apiError.ts';
import type { RuntimeView } from '../runtimeView.ts';
import { RequestValidationError, validationErrorBody } from '../requestValidation.ts';
import { answer, errorResponses } from '../schemas/routeResponses.ts';
import { routeDocs } from '../schemas/routeDocs.ts';
import { loginAnswerSchema, loginBodySchema, sessionStateSchema } from '../schemas/sessionViews.ts';
import type { LoginAttempts } from './loginAttempts.ts';
import { carriesCsrfToken, clearSessionCookie, CSRF_HEADER, requestSession, SESSION_COOKIE, sessionCookieOptions } from './sessionCookie.ts';
import type { SessionStore } from './sessionStore.ts';

export interface SessionRoutesOptions {
  sessions: SessionStore;
  attempts: LoginAttempts;
  /** The role a token grants, or null (adminAuth's roleOfToken over the configured tokens). */
  roleOf: (token: string) => AdminRole | null;
  secureCookie: boolean;
  view: RuntimeView;
  logger: Logger;
}

/** Whatever was wrong with a login, the same answer: it must not tell which part was. */
const INVALID_TOKEN = 'invalid token';

/**
 * A login's body error without a word of the body: a malformed JSON's parser message quotes the
 * text around the fault, which here is the token.
 */
function loginBodyError(error: FastifyError): { status: 400 | 413 | 415; body: ApiErrorBody } | null {
  if (error instanceof RequestValidationError) return { status: 400, body: validationErrorBody(error) };
  const status = error.statusCode ?? 500;
  if (status === 413) return { status, body: apiError('payload_too_large', 'body exceeds the size limit') };
  if (status === 415) return { status, body: apiError('unsupported_media_type', 'send the body as Content-Type: application/json') };
  if (status < 500) return { status: 400, body: apiError('invalid_json', 'malformed JSON body; send {"token": "..."}') };
  return null;
}

/**
 * `POST /session` (the login), `GET /session` and `DELETE /session` (the logout): the browser
 * console exchanges a token once for an HttpOnly, SameSite=Strict cookie, so the token never sits
 * in the page, a URL or storage. Failed logins are limited per remote address. Logins and logouts
 * go into the audit trail with the role, never the token.
 */
export function registerSessionRoutes(app: FastifyInstance, options: SessionRoutesOptions): void {
  const { sessions, attempts, roleOf, secureCookie, view, logger } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const audit = (event: 'login' | 'logout', role: AdminRole, requestId: string) =>
    view.auditAdminSession?.({ event, role, requestId }).catch((error: Error) => logger.error('console session not written to the audit trail', { requestId, event, error: error.message }));

  routes.post(
    '/session',
    {
      errorHandler: (error, _request, reply) => {
        const answered = loginBodyError(error);
        if (!answered) throw error;
        return reply.code(answered.status).send(answered.body);
      },
      schema: {
        ...routeDocs({
          tag: 'session',
          summary: 'Log the console in',
          description:
            'Exchanges the operator or read-only token, once, for a session: the answer sets the cookie `tw_session` (HttpOnly, SameSite=Strict, Path=/; Secure with `admin.session.secureCookie`) and gives the CSRF token every change made with the session must carry in `x-csrf-token`. A wrong token answers 401 `invalid_token`, the same whatever was wrong; after 5 failures within a minute from one address, logins from it answer 429 until the oldest is a minute old.',
          access: 'session',
        }),
        body: loginBodySchema,
        response: {
          200: answer('Logged in: the session cookie is set', loginAnswerSchema),
          ...errorResponses({
            access: 'session',
            body: true,
            codes: {
              400: { invalid_body: '`token` is missing or not a string: `fields` names it' },
              401: { invalid_token: 'the token is not one this node accepts' },
              429: { too_many_attempts: 'too many failed logins from this address: try again after `Retry-After` seconds' },
            },
          }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const address = request.ip;
      const waitMs = attempts.blockedForMs(address);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        return reply.code(429).header('retry-after', String(seconds)).send(apiError('too_many_attempts', `too many failed logins from this address; try again in ${seconds} s`));
      }
      const role = roleOf(request.body.token);
      if (role === null) {
        attempts.fail(address);
        logger.warn('console login refused', { requestId: request.id, remote: address });
        return reply.code(401).send(apiError('invalid_token', INVALID_TOKEN));
      }
      attempts.succeed(address);
      const { id, session } = sessions.create(role);
      reply.setCookie(SESSION_COOKIE, id, sessionCookieOptions(secureCookie));
      logger.info('console login', { requestId: request.id, role, remote: address });
      await audit('login', role, request.id);
      return { role, csrfToken: session.csrfToken, expiresAt: new Date(session.expiresAtMs).toISOString() };
    },
  );

  routes.get(
    '/session',
    {
      schema: {
        ...routeDocs({ tag: 'session', summary: 'The console session', description: 'Whether this request carries a live session cookie, with its role, CSRF token and end.', access: 'session' }),
        response: { 200: answer('The session, or `authenticated: false`', sessionStateSchema), ...errorResponses({ access: 'session' }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const found = requestSession(request, sessions);
      if (!found) return { authenticated: false, role: null, csrfToken: null, expiresAt: null };
      const { role, csrfToken, expiresAtMs } = found.session;
      return { authenticated: true, role, csrfToken, expiresAt: new Date(expiresAtMs).toISOString() };
    },
  );

  routes.delete(
    '/session',
    {
      schema: {
        ...routeDocs({
          tag: 'session',
          summary: 'Log the console out',
          description: `Ends the session of the cookie and clears the cookie. With a live session the request must carry its CSRF token in \`${CSRF_HEADER}\`; without one there is nothing to end (204 all the same).`,
          access: 'session',
        }),
        response: {
          // A null schema is how the document says "no body".
          204: z.null().describe('Logged out: the session is gone and its cookie cleared'),
          ...errorResponses({ access: 'session', codes: { 403: { csrf_required: `a live session, but no CSRF token in \`${CSRF_HEADER}\`: still logged in` } } }),
        },
      },
    },
    async (request, reply) => {
      const found = requestSession(request, sessions);
      if (found && !carriesCsrfToken(request, found.session)) {
        return reply.code(403).send(apiError('csrf_required', `logging out needs the session's CSRF token in the ${CSRF_HEADER} header`));
      }
      if (found) {
        sessions.delete(found.id);
        logger.info('console logout', { requestId: request.id, role: found.session.role });
        await audit('logout', found.session.role, request.id);
      }
      clearSessionCookie(reply, secureCookie);
      return reply.code(204).send(null);
    },
  );
}
