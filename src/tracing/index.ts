import type { FastifyInstance } from 'fastify';
import { activeTracing } from './activeTracing.ts';

export { orderTracing, tracingSdkLoaded, type OrderTracing } from './activeTracing.ts';
export { startTracing, type TracingHandle } from './startTracing.ts';
export { TracingConfigError, tracingConfigFromEnv, type TracingConfig } from './tracingConfig.ts';

/** Admin API requests as server spans while tracing is on; nothing is registered while it is off. */
export function traceRequests(app: FastifyInstance): void {
  activeTracing()?.traceRequests(app);
}

/** BullMQ's `telemetry` option for a producer queue while tracing is on. */
export function queueTelemetry() {
  const telemetry = activeTracing()?.queueTelemetry;
  return telemetry ? { telemetry } : {};
}
