import type { FastifyError, FastifyInstance } from 'fastify';
import { errorFields } from '../log/errorFields.ts';
import type { Logger } from '../log/logger.ts';
import { redactUrl } from '../log/redactUrl.ts';
import { apiError } from './apiError.ts';
import { isRedisUnavailable } from './redisUnavailable.ts';
import { RequestValidationError, validationErrorBody } from './requestValidation.ts';

/** How long a caller should wait before trying again while Redis is away. */
const REDIS_RETRY_AFTER_S = 5;

/** The request path as it may be logged or echoed: no credential from its query string. */
export function loggablePath(url: string): string {
  return redactUrl(url).slice(0, 200);
}

/**
 * Turns fastify's own client errors into the admin API's JSON shape; hides 5xx details from
 * callers and logs them as one line with the error as fields (name, message, code, stack frames).
 * A handler that failed because Redis is down answers 503 `redis_unavailable`: the caller can
 * retry, and nothing was carried out.
 */
export function installErrorHandlers(app: FastifyInstance, logger: Logger, bodyLimit: number): void {
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send(apiError('not_found', `no route ${request.method} ${loggablePath(request.url)}`)),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof RequestValidationError) return reply.code(400).send(validationErrorBody(error));
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send(apiError(...clientError(error, status, bodyLimit)));
    const fields = { requestId: request.id, method: request.method, path: loggablePath(request.url), error: errorFields(error) };
    if (isRedisUnavailable(error)) {
      logger.error('admin request failed: Redis cannot be reached', { ...fields, statusCode: 503 });
      return reply
        .code(503)
        .header('retry-after', String(REDIS_RETRY_AFTER_S))
        .send(apiError('redis_unavailable', `Redis cannot be reached, so the request was not carried out; try again once Redis is back (request id ${request.id})`));
    }
    logger.error('admin request failed', { ...fields, statusCode: 500 });
    return reply.code(500).send(apiError('internal_error', `internal error (request id ${request.id}); see the server log`));
  });
}

function clientError(error: FastifyError, status: number, bodyLimit: number): [string, string] {
  if (status === 413) return ['payload_too_large', `body exceeds the ${bodyLimit}-byte limit`];
  if (status === 415) return ['unsupported_media_type', 'send the body as Content-Type: application/json'];
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return ['invalid_json', 'body is empty; send a JSON object'];
  if (error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) {
    return ['invalid_json', `malformed JSON body: ${error.message}`];
  }
  return ['bad_request', error.message];
}
