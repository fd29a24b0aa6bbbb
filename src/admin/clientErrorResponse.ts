import type { Socket } from 'node:net';
import { apiError } from './apiError.ts';
import { REQUEST_ID_HEADER, requestIdFor } from './requestId.ts';

/**
 * Answers HTTP that Node cannot even parse (fastify never sees a request) in the API's JSON
 * error shape, with a request id like every other response, then closes the connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout']
        : [400, 'Bad Request', 'bad_request'];
  const body = JSON.stringify(apiError(code, `malformed HTTP request: ${reason.toLowerCase()}`));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `${REQUEST_ID_HEADER}: ${requestIdFor(undefined)}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
