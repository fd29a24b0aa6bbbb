import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Takes a reply over from fastify and opens it as a text/event-stream: the headers hooks already
 * set (the request id) plus the stream's, sent at once so the client's EventSource opens before
 * the first message. Returns the raw response the route writes its messages to and ends.
 */
export function openSseResponse(request: FastifyRequest, reply: FastifyReply): ServerResponse {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Reverse proxies (nginx) would otherwise hold the events back in their buffers.
    'x-accel-buffering': 'no',
  });
  raw.flushHeaders();
  // Messages are small and each should go out as it is written.
  request.raw.socket?.setNoDelay(true);
  return raw;
}
