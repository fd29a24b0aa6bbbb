import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { tokensMatch } from '../tokensMatch.ts';
import type { AdminSession, SessionStore } from './sessionStore.ts';

/** The session cookie: `tw_session=<32 random bytes, base64url>`. */
export const SESSION_COOKIE = 'tw_session';

/** The header a cookie-authenticated mutation carries its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Script cannot read it (HttpOnly), no other site's page can make the browser send it (SameSite
 * Strict), and every path of the API gets it. `Secure` when the API is served over https.
 */
export function sessionCookieOptions(secure: boolean): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', ...(secure ? { secure: true } : {}) };
}

/** The `tw_session` value the request carries, if any. */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  return request.server.parseCookie(header)[SESSION_COOKIE];
}

/** The live session the request's cookie names, with its id; null without one. */
export function requestSession(request: FastifyRequest, sessions: SessionStore): { id: string; session: AdminSession } | null {
  const id = sessionIdOf(request);
  const session = sessions.find(id);
  return session && id !== undefined ? { id, session } : null;
}

/** Whether the request carries its session's CSRF token (compared in constant time). */
export function carriesCsrfToken(request: FastifyRequest, session: AdminSession): boolean {
  const presented = request.headers[CSRF_HEADER];
  return typeof presented === 'string' && tokensMatch(presented, session.csrfToken);
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure));
}
