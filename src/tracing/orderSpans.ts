import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { Job } from 'bullmq';
import type { OrderContext, OrderEvent, OrderSpec } from '../machines/orders/orderTypes.ts';
import type { OrderTracing } from './activeTracing.ts';

export const ATTR_CLIENT_ORDER_ID = 'tradewire.client_order_id';
export const ATTR_ACCOUNT = 'tradewire.account';
export const ATTR_SYMBOL = 'tradewire.symbol';
export const ATTR_CONTRACT_MONTH = 'tradewire.contract_month';

const FINAL_ANSWERS = new Set(['broker.acknowledged', 'broker.fill', 'broker.rejected', 'broker.cancelled']);

/** One order in flight: its job's context (the parent of its spans), its own span, its latest placement. */
interface TracedOrder {
  job: Context;
  attributes: Attributes;
  order: Span;
  placement?: Context;
  /** Open from the placeOrder write to the broker's first answer. */
  acknowledgement?: Span;
}

/**
 * The order path's spans: job pickup (`orders process`, the producer's child) → `order validate`,
 * `order` (its life, an event per written transition), `placeOrder` → `order acknowledged` (write to
 * the broker's first answer) and one `order fill` per execution.
 */
export class OrderSpans implements OrderTracing {
  private readonly orders = new Map<string, TracedOrder>();

  constructor(private readonly tracer: Tracer) {}

  async jobPickedUp<T>(job: Job, run: () => Promise<T>): Promise<T> {
    // The producer's span is the parent: one job, one message, so the trace runs on from the request that queued it.
    const producer = producerContext(job);
    const clientOrderId = (job.data as { clientOrderId?: unknown } | null)?.clientOrderId;
    const span = this.tracer.startSpan(
      'orders process',
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': job.queueName,
          ...(job.id !== undefined ? { 'messaging.message.id': job.id } : {}),
          ...(typeof clientOrderId === 'string' ? { [ATTR_CLIENT_ORDER_ID]: clientOrderId } : {}),
        },
      },
      producer ?? context.active(),
    );
    try {
      return await context.with(trace.setSpan(producer ?? context.active(), span), run);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  validating<T extends { ok: boolean }>(run: () => T): T {
    const span = this.tracer.startSpan('order validate');
    try {
      const result = run();
      if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: 'invalid order job' });
      return result;
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  orderStarted(spec: OrderSpec): void {
    const job = context.active();
    const attributes: Attributes = {
      [ATTR_CLIENT_ORDER_ID]: spec.clientOrderId,
      [ATTR_ACCOUNT]: spec.account,
      [ATTR_SYMBOL]: spec.symbol,
      ...(spec.expiry ? { [ATTR_CONTRACT_MONTH]: spec.expiry } : {}),
    };
    trace.getSpan(job)?.setAttributes(attributes);
    this.orders.get(spec.clientOrderId)?.order.end();
    const order = this.tracer.startSpan('order', { attributes: { ...attributes, 'tradewire.side': spec.side, 'tradewire.quantity': spec.quantity, 'tradewire.order_type': spec.orderType } }, job);
    this.orders.set(spec.clientOrderId, { job, attributes, order });
  }

  transitioned(clientOrderId: string, state: string, orderContext: OrderContext, finished: boolean): void {
    const traced = this.orders.get(clientOrderId);
    if (!traced) return;
    traced.order.addEvent(state, { 'tradewire.filled_quantity': orderContext.filledQuantity });
    if (!finished) return;
    this.orders.delete(clientOrderId);
    traced.acknowledgement?.end();
    traced.order.setAttribute('tradewire.outcome', state);
    if (state === 'rejected') traced.order.setStatus({ code: SpanStatusCode.ERROR, message: orderContext.rejectReason ?? 'rejected' });
    traced.order.end();
  }

  placementWritten(clientOrderId: string): void {
    const traced = this.orders.get(clientOrderId);
    if (!traced) return;
    const placement = this.tracer.startSpan('placeOrder', { kind: SpanKind.CLIENT, attributes: traced.attributes }, traced.job);
    placement.end();
    traced.placement = trace.setSpan(traced.job, placement);
    traced.acknowledgement?.end();
    traced.acknowledgement = this.tracer.startSpan('order acknowledged', { attributes: traced.attributes }, traced.placement);
  }

  brokerEvent(clientOrderId: string, event: OrderEvent): void {
    const traced = this.orders.get(clientOrderId);
    if (!traced) return;
    if (traced.acknowledgement && FINAL_ANSWERS.has(event.type)) {
      traced.acknowledgement.setAttribute('tradewire.answer', event.type === 'broker.acknowledged' ? event.status : event.type);
      traced.acknowledgement.end();
      delete traced.acknowledgement;
    }
    if (event.type !== 'broker.fill') return;
    const { execId, quantity, price } = event.fill;
    this.tracer
      .startSpan('order fill', { attributes: { ...traced.attributes, 'tradewire.exec_id': execId, 'tradewire.fill_quantity': quantity, 'tradewire.fill_price': price } }, traced.placement ?? traced.job)
      .end();
  }

  /** Stopping: orders still open end their spans (they are traced again from their next job, not after a restart). */
  endAll(): void {
    for (const traced of this.orders.values()) {
      traced.acknowledgement?.end();
      traced.order.end();
    }
    this.orders.clear();
  }
}

/** The producer's context that BullMQ's telemetry put in the job's options (a JSON carrier of W3C headers). */
function producerContext(job: Job): Context | undefined {
  const metadata = job.opts?.telemetry?.metadata;
  if (!metadata) return undefined;
  try {
    const extracted = propagation.extract(ROOT_CONTEXT, JSON.parse(metadata) as Record<string, string>);
    return trace.getSpanContext(extracted) ? extracted : undefined;
  } catch {
    return undefined;
  }
}

function failed(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}
