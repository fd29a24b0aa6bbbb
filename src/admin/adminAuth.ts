import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasSecretInQuery } from '../log/redactUrl';
import { apiError } from './apiError';
import { bearerToken, tokensMatch } from './tokensMatch';

const READ_METHODS = new Set(['GET', 'HEAD']);
const CHALLENGE = 'Bearer realm="tradewire-admin"';

/**
 * onRequest hook guarding every mutating route. Runs before the body is read, so unauthenticated
 * callers cannot make the server parse anything. Without a configured token mutation is disabled,
 * never open. A credential in the query string (`?token=`, `?access_token=`, …) is refused on
 * every route, reads included, whether or not it is right: URLs end up in logs, proxies and
 * shell history, so accepting one there would teach callers to leak it.
 */
export function adminAuthHook(token: string | undefined) {
  return async function checkAuth(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (hasSecretInQuery(request.url)) {
      return reply
        .code(401)
        .header('www-authenticate', CHALLENGE)
        .send(apiError('credentials_in_query', 'credentials are not accepted in the query string (URLs get logged); send them as Authorization: Bearer <token>'));
    }
    if (READ_METHODS.has(request.method)) return undefined;
    if (token === undefined) {
      // Returning the reply tells fastify the hook already answered.
      return reply
        .code(403)
        .send(apiError('mutations_disabled', 'mutating routes are disabled because no TRADEWIRE_ADMIN_TOKEN is configured'));
    }
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined || !tokensMatch(presented, token)) {
      const message = presented === undefined ? 'missing bearer token' : 'invalid bearer token';
      return reply.code(401).header('www-authenticate', CHALLENGE).send(apiError('unauthorized', message));
    }
    return undefined;
  };
}
