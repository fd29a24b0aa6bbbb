import type { z } from 'zod';
import { apiErrorSchema } from './apiErrorSchema.ts';
import type { RouteAccess } from './routeDocs.ts';

/** A documented answer: fastify serializes the reply with `schema` (so a reply that breaks it is a 500), /openapi.json describes it. */
export function answer<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** Every error body: the shared `ApiError`, or a schema extending it with what that error carries (a 409 with the order). */
type ErrorSchema = z.ZodType<z.output<typeof apiErrorSchema>>;

/** One error status's documented answer: each code it carries, with when it is given. */
export function errorAnswer<T extends ErrorSchema>(byCode: Record<string, string>, schema: T) {
  const description = Object.entries(byCode)
    .map(([code, when]) => `- \`${code}\`: ${when}`)
    .join('\n');
  return answer(description, schema);
}

/** The statuses an admin route answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

/** A route's own error answers: status → error code → when it is given. */
export type ErrorCodes = Partial<Record<ErrorStatus, Record<string, string>>>;

export interface RouteErrors {
  access: RouteAccess;
  /** The route takes a JSON body: it can be malformed, too large, or not JSON at all. */
  body?: boolean;
  /** The route reads or writes Redis, so it answers 503 `redis_unavailable` while Redis is away. */
  redis?: boolean;
  codes?: ErrorCodes;
}

/** A querystring its zod schema refuses: what requestValidation.ts answers for it. */
export const INVALID_QUERY = { invalid_query: 'a query parameter is wrong or unknown: `fields` names each one' };

/** A read only the active node's memory answers (positions, prices), refused on a standby by notActive.ts. */
export const NOT_ACTIVE = { not_active: 'this node is a standby: ask the active node (the message names it); retry after `Retry-After`' };

// The answers adminAuth.ts, adminErrors.ts and the body parser give, whatever the route.
const CREDENTIALS_IN_QUERY = { credentials_in_query: 'a credential was sent in the query string (`?token=`); send `Authorization: Bearer <token>`' };
const AUTH_ERRORS: Record<RouteAccess, ErrorCodes> = {
  probe: { 401: CREDENTIALS_IN_QUERY },
  read: {
    401: { unauthorized: 'beyond loopback: the bearer token is missing or wrong (or the session cookie expired)', ...CREDENTIALS_IN_QUERY },
    403: { reads_disabled: 'the API listens beyond loopback and no token is configured' },
  },
  mutation: {
    401: { unauthorized: 'the bearer token is missing or wrong (or the session cookie expired)', ...CREDENTIALS_IN_QUERY },
    403: {
      mutations_disabled: 'no operator token (`TRADEWIRE_ADMIN_TOKEN`) is configured',
      forbidden: 'the read-only token (or a session opened with it) may not change anything',
      csrf_required: 'sent with a session cookie but without its CSRF token in `x-csrf-token`: nothing was done',
    },
  },
  session: { 401: CREDENTIALS_IN_QUERY },
};
const BODY_ERRORS: ErrorCodes = {
  400: { invalid_json: 'the body is empty or not valid JSON' },
  413: { payload_too_large: 'the body exceeds the 64 KiB limit' },
  415: { unsupported_media_type: 'the body is not sent as `Content-Type: application/json`' },
};
const REDIS_ERRORS: ErrorCodes = { 503: { redis_unavailable: 'Redis cannot be reached, so nothing was carried out; retry after `Retry-After` seconds' } };
const SERVER_ERRORS: ErrorCodes = { 500: { internal_error: 'a bug: the message carries the request id to find in the server log' } };

/**
 * Every error a route can answer, each status documented with its codes and all of them in the
 * one error shape (`ApiError`): the route's own, and those of authentication, the body parser,
 * Redis and the error handler that every route shares. A status whose error carries more than
 * the shape (a 409 with the order it names) follows it with its own `errorAnswer`.
 */
export function errorResponses({ access, body = false, redis = false, codes = {} }: RouteErrors) {
  const merged: ErrorCodes = {};
  for (const part of [codes, body ? BODY_ERRORS : {}, AUTH_ERRORS[access], redis ? REDIS_ERRORS : {}, SERVER_ERRORS]) {
    for (const [status, byCode] of Object.entries(part) as [`${ErrorStatus}`, Record<string, string>][]) {
      merged[Number(status) as ErrorStatus] = { ...merged[Number(status) as ErrorStatus], ...byCode };
    }
  }
  return Object.fromEntries(Object.entries(merged).map(([status, byCode]) => [status, errorAnswer(byCode, apiErrorSchema)])) as Partial<
    Record<ErrorStatus, ReturnType<typeof errorAnswer<typeof apiErrorSchema>>>
  >;
}
