import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasSecretInQuery } from '../log/redactUrl.ts';
import { apiError } from './apiError.ts';
import { bearerToken, tokensMatch } from './tokensMatch.ts';

const READ_METHODS = new Set(['GET', 'HEAD']);
const CHALLENGE = 'Bearer realm="tradewire-admin"';

/** Load balancers and orchestrators call these without credentials, wherever the API listens. */
export const PROBE_ROUTES: ReadonlySet<string> = new Set(['/health', '/ready', '/active']);

/** `operator` (admin.token) may do everything; `read` (admin.readToken) may only read. */
export type AdminRole = 'operator' | 'read';

export interface AdminAuthOptions {
  /** The operator token; without one every mutating route answers 403. */
  token: string | undefined;
  /** The read-only token. */
  readToken: string | undefined;
  /** True when the API listens beyond loopback: then every read but the probes needs a token too. */
  readsNeedToken: boolean;
}

/** The role each authenticated request was let in with (the audit trail records it). */
export const requestRoles = new WeakMap<FastifyRequest, AdminRole>();

/**
 * The role a presented token grants, or null. Both comparisons always run, so the time taken
 * does not tell which token (if any) was close.
 */
function roleOf(presented: string, { token, readToken }: AdminAuthOptions): AdminRole | null {
  const operator = token !== undefined && tokensMatch(presented, token);
  const reader = readToken !== undefined && tokensMatch(presented, readToken);
  return operator ? 'operator' : reader ? 'read' : null;
}

/**
 * onRequest hook guarding every route. Runs before the body is read, so unauthenticated callers
 * cannot make the server parse anything. Mutations need the operator token, and without one
 * configured they are disabled, never open. Reads are open on loopback; beyond it they need either
 * token, except the probes. A credential in the query string (`?token=`, `?access_token=`, …) is
 * refused on every route, probes included, whether or not it is right: URLs end up in logs,
 * proxies and shell history, so accepting one there would teach callers to leak it.
 */
export function adminAuthHook(options: AdminAuthOptions) {
  return async function checkAuth(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (hasSecretInQuery(request.url)) {
      return reply
        .code(401)
        .header('www-authenticate', CHALLENGE)
        .send(apiError('credentials_in_query', 'credentials are not accepted in the query string (URLs get logged); send them as Authorization: Bearer <token>'));
    }
    const presented = bearerToken(request.headers.authorization);
    const role = presented === undefined ? null : roleOf(presented, options);
    const unauthorized = () =>
      reply
        .code(401)
        .header('www-authenticate', CHALLENGE)
        .send(apiError('unauthorized', presented === undefined ? 'missing bearer token' : 'invalid bearer token'));

    if (READ_METHODS.has(request.method)) {
      if (role !== null) requestRoles.set(request, role);
      if (!options.readsNeedToken || PROBE_ROUTES.has(request.routeOptions.url ?? '')) return undefined;
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
    if (role === 'read') {
      return reply
        .code(403)
        .send(apiError('forbidden', 'this token has the read-only role (TRADEWIRE_READ_TOKEN), which may not change anything; use the operator token (TRADEWIRE_ADMIN_TOKEN)'));
    }
    if (role === null) return unauthorized();
    requestRoles.set(request, role);
    return undefined;
  };
}
