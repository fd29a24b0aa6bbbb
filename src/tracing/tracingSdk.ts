import { context, propagation, trace, diag, DiagLogLevel } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { BullMQOtel } from 'bullmq-otel';
import type { Logger } from '../log/logger.ts';
import { markSdkLoaded, type Tracing } from './activeTracing.ts';
import { OrderSpans } from './orderSpans.ts';
import { traceRequests } from './requestSpans.ts';
import type { TracingConfig } from './tracingConfig.ts';

markSdkLoaded();

export const TRACER_NAME = 'tradewire';

/** The SDK registered for the process: spans batched to the OTLP/HTTP endpoint as JSON. */
export function startTracingSdk(config: TracingConfig, logger: Logger): Tracing {
  // The SDK's own complaints (an unreachable collector) are the operator's to see, once per cause, not thrown.
  diag.setLogger({ error: (message) => logger.warn(`tracing: ${message}`), warn: (message) => logger.warn(`tracing: ${message}`), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName }),
    // Six spans an order: the SDK's default queue (2,048) drops spans from a few hundred orders a second on.
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.tracesUrl }), maxQueueSize: 32_768, maxExportBatchSize: 2_048 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer(TRACER_NAME);
  const orders = new OrderSpans(tracer);
  return {
    orders,
    traceRequests: (app) => traceRequests(app, tracer),
    queueTelemetry: new BullMQOtel({ tracerName: TRACER_NAME }),
    async shutdown() {
      orders.endAll();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      diag.disable();
    },
  };
}
