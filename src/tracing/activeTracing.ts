import type { FastifyInstance } from 'fastify';
import type { Job, QueueBaseOptions } from 'bullmq';
import type { OrderContext, OrderEvent, OrderSpec } from '../machines/orders/orderTypes.ts';

/**
 * What the order path reports to tracing. Only reached through `orderTracing()`, which is
 * undefined while tracing is off: the hooks cost one check then, and nothing of OpenTelemetry is loaded.
 */
export interface OrderTracing {
  /** Runs one `orders` job inside its pickup span (a child of the producer's span when the job carries its context). */
  jobPickedUp<T>(job: Job, run: () => Promise<T>): Promise<T>;
  /** Runs the job's validation inside a span of its own. */
  validating<T extends { ok: boolean }>(run: () => T): T;
  /** A new order's actor started (within its job's span): its span, with an event per transition. */
  orderStarted(spec: OrderSpec): void;
  transitioned(clientOrderId: string, state: string, context: OrderContext, finished: boolean): void;
  placementWritten(clientOrderId: string): void;
  /** A broker update routed to a running order (acknowledgements and fills are spans; a repeat is never passed). */
  brokerEvent(clientOrderId: string, event: OrderEvent): void;
}

export interface Tracing {
  orders: OrderTracing;
  /** A server span per admin API request, active while the request is handled. */
  traceRequests(app: FastifyInstance): void;
  /** BullMQ's telemetry for a producer queue: its add is a span whose context travels in the job. */
  queueTelemetry: NonNullable<QueueBaseOptions['telemetry']>;
  /** Ends what is open and sends what is buffered. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;
let sdkLoaded = false;

export function orderTracing(): OrderTracing | undefined {
  return active?.orders;
}

export function activeTracing(): Tracing | undefined {
  return active;
}

export function setActiveTracing(tracing: Tracing | undefined): void {
  active = tracing;
}

/** True once the OpenTelemetry SDK module has been evaluated in this process. */
export function tracingSdkLoaded(): boolean {
  return sdkLoaded;
}

export function markSdkLoaded(): void {
  sdkLoaded = true;
}
