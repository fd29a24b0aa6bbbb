import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasSecretInQuery } from '../log/redactUrl.ts';
import { apiError } from './apiError.ts';
import { bearerToken, tokensMatch } from './tokensMatch.ts';
import { carriesCsrfToken, sessionIdOf, CSRF_HEADER } from './session/sessionCookie.ts';
import type { SessionStore } from './session/sessionStore.ts';

const READ_METHODS = new Set(['GET', 'HEAD']);
const CHALLENGE = 'Bearer realm="tradewire-admin"';

/** Load balancers and orchestrators call these without credentials, wherever the API listens. */
export const PROBE_ROUTES: ReadonlySet<string> = new Set(['/health', '/ready', '/active']);

/**
 * Anyone may load these wherever the API listens: the console's page and assets (without a session
 * it shows the login form), and the session routes, which check what they need themselves (the
 * login is how a browser gets credentials at all).
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['/', '/console/*', '/session']);

/** `operator` (admin.token) may do everything; `read` (admin.readToken) may only read. */
export type AdminRole = 'operator' | 'read';

export interface AdminAuthOptions {
  /** The operator token; without one every mutating route answers 403. */
  token: string | undefined;
  /** The read-only token. */
  readToken: string | undefined;
  /** True when the API listens beyond loopback: then every read but the probes needs a token too. */
  readsNeedToken: boolean;
  /** Browser sessions (the `tw_session` cookie); without them only bearer tokens count. */
  sessions?: SessionStore;
}

/** The role each authenticated request was let in with (the audit trail records it). */
export const requestRoles = new WeakMap<FastifyRequest, AdminRole>();

/** Requests let in by a browser session rather than a bearer token (the audit trail says so). */
export const sessionRequests = new WeakSet<FastifyRequest>();

/**
 * The role a presented token grants, or null. Both comparisons always run, so the time taken
 * does not tell which token (if any) was close.
 */
export function roleOfToken(presented: string, { token, readToken }: Pick<AdminAuthOptions, 'token' | 'readToken'>): AdminRole | null {
  const operator = token !== undefined && tokensMatch(presented, token);
  const reader = readToken !== undefined && tokensMatch(presented, readToken);
  return operator ? 'operator' : reader ? 'read' : null;
}

/** What a request authenticates with: a bearer token wins over a session cookie; `role` is null when it is wrong (or the session gone). */
type Credential = { via: 'none'; role: null } | { via: 'bearer' | 'session'; role: AdminRole | null; csrfOk: boolean };

function credentialOf(request: FastifyRequest, options: AdminAuthOptions): Credential {
  const presented = bearerToken(request.headers.authorization);
  if (presented !== undefined) return { via: 'bearer', role: roleOfToken(presented, options), csrfOk: true };
  const id = options.sessions ? sessionIdOf(request) : undefined;
  if (!options.sessions || id === undefined) return { via: 'none', role: null };
  const session = options.sessions.find(id);
  return { via: 'session', role: session?.role ?? null, csrfOk: session !== null && carriesCsrfToken(request, session) };
}

const UNAUTHORIZED_MESSAGES: Record<Credential['via'], string> = {
  none: 'missing bearer token',
  bearer: 'invalid bearer token',
  session: 'the session has expired or is unknown: log in again (POST /session), or send Authorization: Bearer <token>',
};

/**
 * onRequest hook guarding every route. Runs before the body is read, so unauthenticated callers
 * cannot make the server parse anything. Mutations need the operator role, and without an operator
 * token configured they are disabled, never open. Reads are open on loopback; beyond it they need
 * either role, except the probes and the public routes. A role comes from a bearer token, or from a
 * browser session's cookie exactly as from the token that logged it in; a mutation by cookie must
 * also carry the session's CSRF token (`x-csrf-token`), since a browser sends the cookie whoever
 * made the page. A credential in the query string (`?token=`, `?access_token=`, …) is refused on
 * every route, probes included, whether or not it is right: URLs end up in logs, proxies and shell
 * history, so accepting one there would teach callers to leak it.
 */
export function adminAuthHook(options: AdminAuthOptions) {
  return async function checkAuth(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (hasSecretInQuery(request.url)) {
      return reply
        .code(401)
        .header('www-authenticate', CHALLENGE)
        .send(apiError('credentials_in_query', 'credentials are not accepted in the query string (URLs get logged); send them as Authorization: Bearer <token>'));
    }
    const route = request.routeOptions.url ?? '';
    if (PUBLIC_ROUTES.has(route)) return undefined;
    const credential = credentialOf(request, options);
    const { role } = credential;
    const unauthorized = () => reply.code(401).header('www-authenticate', CHALLENGE).send(apiError('unauthorized', UNAUTHORIZED_MESSAGES[credential.via]));
    const letIn = (granted: AdminRole) => {
      requestRoles.set(request, granted);
      if (credential.via === 'session') sessionRequests.add(request);
    };

    if (READ_METHODS.has(request.method)) {
      if (role !== null) letIn(role);
      if (!options.readsNeedToken || PROBE_ROUTES.has(route)) return undefined;
      if (options.token === undefined && options.readToken === undefined) {
        return reply
          .code(403)
          .send(apiError('reads_disabled', 'the admin API listens beyond loopback and no token is configured, so only /health, /ready and /active answer; set TRADEWIRE_READ_TOKEN (or TRADEWIRE_ADMIN_TOKEN)'));
      }
      return role === null ? unauthorized() : undefined;
    }

    if (options.token === undefined) {
      // Returning the reply tells fastify the hook already answered.
      return reply
        .code(403)
        .send(apiError('mutations_disabled', 'mutating routes are disabled because no TRADEWIRE_ADMIN_TOKEN is configured'));
    }
    if (role === null) return unauthorized();
    if (credential.via === 'session' && !credential.csrfOk) {
      return reply.code(403).send(apiError('csrf_required', `a change made with a session cookie must carry the session's CSRF token in the ${CSRF_HEADER} header (GET /session gives it)`));
    }
    if (role === 'read') {
      const how = credential.via === 'session' ? 'this session was opened with the read-only token' : 'this token has the read-only role (TRADEWIRE_READ_TOKEN)';
      return reply.code(403).send(apiError('forbidden', `${how}, which may not change anything; use the operator token (TRADEWIRE_ADMIN_TOKEN)`));
    }
    letIn(role);
    return undefined;
  };
}
