import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger';
import { apiError } from './apiError';

/** Turns fastify's own client errors into the admin API's JSON shape; hides 5xx details from callers. */
export function installErrorHandlers(app: FastifyInstance, logger: Logger, bodyLimit: number): void {
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send(apiError('not_found', `no route ${request.method} ${request.url.slice(0, 200)}`)),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logger.error('admin request failed', { requestId: request.id, method: request.method, err: error });
      return reply.code(500).send(apiError('internal_error', `internal error (request id ${request.id}); see the server log`));
    }
    return reply.code(status).send(apiError(...clientError(error, status, bodyLimit)));
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
