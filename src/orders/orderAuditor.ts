import type { Logger } from '../log/logger.ts';
import type { OrderAuditTrail, AuditRecordInput } from '../audit/index.ts';
import type { OrderChanges, OrderContext } from '../machines/orders/orderTypes.ts';
import { orderActorId } from './orderActorIds.ts';

/**
 * Turns order transitions into CFTC 1.35-style audit records: receipt, sending, acknowledgement,
 * each fill, cancel requests and outcomes, rejections with their reason. Appends are ordered per
 * order (one chain of promises each) so the trail reads in the order things happened.
 */
export class OrderAuditor {
  private readonly seen = new Map<string, { states: Set<string>; fills: number; chain: Promise<unknown> }>();

  constructor(
    private readonly trail: OrderAuditTrail,
    private readonly logger: Logger,
  ) {}

  received(clientOrderId: string, account: string, jobId: string | undefined, payload: unknown): void {
    this.append(clientOrderId, { kind: 'received', clientOrderId, account, actor: 'orders', ...(jobId ? { jobId } : {}), payload: payload as never });
  }

  sent(context: OrderContext, ibOrderId: number, clientId: number, gateway: string): void {
    const { clientOrderId, account } = context.order;
    this.append(clientOrderId, { kind: 'sent', clientOrderId, account, actor: orderActorId(clientOrderId), ibOrderId, clientId, gateway });
  }

  /** A modify the pre-trade checks refused: the working order stays as it was. */
  modifyRefused(context: OrderContext, changes: OrderChanges, reasons: string[]): void {
    const { clientOrderId, account } = context.order;
    this.append(clientOrderId, {
      kind: 'modifyRefused',
      clientOrderId,
      account,
      actor: orderActorId(clientOrderId),
      ...(context.ibOrderId !== null ? { ibOrderId: context.ibOrderId } : {}),
      changes: { ...changes },
      reason: reasons.join('; ') || 'refused',
    });
  }

  transition(state: string, context: OrderContext): void {
    const { clientOrderId, account } = context.order;
    const record = this.entry(clientOrderId);
    if (state === 'modifying' && context.pendingModify) {
      // Every modification is recorded, so it is handled before the once-per-state bookkeeping.
      const { quantity, limitPrice, stopPrice } = context.order;
      this.append(clientOrderId, {
        kind: 'modified',
        clientOrderId,
        account,
        actor: orderActorId(clientOrderId),
        ...(context.ibOrderId !== null ? { ibOrderId: context.ibOrderId } : {}),
        changes: context.pendingModify,
        previous: { quantity, ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) },
      });
    }
    const actor = orderActorId(clientOrderId);
    const ib = context.ibOrderId !== null ? { ibOrderId: context.ibOrderId } : {};
    const fills = context.fills ?? [];
    let cumulative = fills.slice(0, record.fills).reduce((n, f) => n + f.quantity, 0);
    for (const fill of fills.slice(record.fills)) {
      cumulative += fill.quantity;
      this.append(clientOrderId, {
        kind: cumulative >= context.order.quantity ? 'filled' : 'partiallyFilled',
        clientOrderId,
        account,
        actor,
        ...ib,
        execId: fill.execId,
        quantity: fill.quantity,
        price: fill.price,
        ...(fill.commission !== undefined ? { commission: fill.commission } : {}),
        cumulativeQuantity: cumulative,
      });
    }
    record.fills = fills.length;
    if (record.states.has(state)) return;
    record.states.add(state);
    switch (state) {
      case 'working':
        this.append(clientOrderId, { kind: 'acknowledged', clientOrderId, account, actor, ...ib, ...(context.brokerStatus ? { status: context.brokerStatus } : {}) });
        break;
      case 'rejected':
        this.append(clientOrderId, { kind: 'rejected', clientOrderId, account, actor, ...ib, reason: context.rejectReason ?? 'rejected' });
        break;
      case 'cancelling':
        this.append(clientOrderId, { kind: 'cancelRequested', clientOrderId, account, actor, ...ib });
        break;
      case 'cancelled':
        this.append(clientOrderId, { kind: 'cancelled', clientOrderId, account, actor, ...ib });
        break;
      case 'expired':
        this.append(clientOrderId, { kind: 'expired', clientOrderId, account, actor, ...ib, reason: 'deadline passed' });
        break;
      case 'inDoubt':
        this.append(clientOrderId, {
          kind: 'inDoubt',
          clientOrderId,
          account,
          actor,
          ...ib,
          // A restored order's first doubt (the one recorded) is the lookup it starts with.
          reason: context.recovered
            ? 'restored after a restart; looking it up by orderRef before anything is sent'
            : 'no acknowledgement from the broker; looking it up by orderRef',
        });
        break;
    }
    if (['filled', 'cancelled', 'rejected', 'expired'].includes(state)) {
      const done = record.chain;
      void done.finally(() => this.seen.delete(clientOrderId));
    }
  }

  /**
   * An event injected from outside (admin API), recorded before it is delivered: the promise
   * settles once the record is written, and rejects when it could not be (then nothing may be
   * delivered). Queued behind the order's earlier records, so the trail keeps their order.
   */
  injected(order: { clientOrderId: string; account: string }, event: { type: string }, requestId: string, brokerOrigin: boolean): Promise<void> {
    const { clientOrderId, account } = order;
    const input: AuditRecordInput = { kind: 'injected', clientOrderId, account, actor: 'admin', eventType: event.type, event: event as never, requestId, brokerOrigin };
    const record = this.seen.get(clientOrderId);
    const written = (record?.chain ?? Promise.resolve()).then(() => this.trail.append(input));
    // Later records wait for this one; its failure is the caller's to report, not theirs.
    if (record) record.chain = written.catch(() => undefined);
    return written.then(() => undefined);
  }

  private entry(clientOrderId: string) {
    let record = this.seen.get(clientOrderId);
    if (!record) {
      record = { states: new Set(), fills: 0, chain: Promise.resolve() };
      this.seen.set(clientOrderId, record);
    }
    return record;
  }

  private append(clientOrderId: string, input: AuditRecordInput): void {
    const record = this.entry(clientOrderId);
    record.chain = record.chain.then(() =>
      this.trail.append(input, { builtFromTypedData: true }).catch((error: Error) =>
        this.logger.error('audit record not written', { orderId: clientOrderId, kind: input.kind, error: error.message }),
      ),
    );
  }
}
