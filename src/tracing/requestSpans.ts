import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * A server span per request (continuing a caller's `traceparent`), active for the rest of the
 * request: what the route does, queueing an order, is its child. Named by the route pattern, never
 * the path, so names stay few.
 */
export function traceRequests(app: FastifyInstance, tracer: Tracer): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const caller = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, ...(route ? { 'http.route': route } : {}) } },
      caller,
    );
    spans.set(request, span);
    // The rest of the request's hooks and its handler run from done(), so within the span's context.
    context.with(trace.setSpan(caller, span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    spans.get(request)?.setAttribute('http.response.status_code', reply.statusCode);
    end(request, reply.statusCode >= 500 ? 'server error' : undefined);
    done();
  });
  // A client that hangs up gets no response: its span ends here instead.
  app.addHook('onRequestAbort', (request, done) => {
    end(request, 'aborted by the client');
    done();
  });
}

function end(request: FastifyRequest, error: string | undefined): void {
  const span = spans.get(request);
  if (!span) return;
  spans.delete(request);
  if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end();
}
