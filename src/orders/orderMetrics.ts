import type { OrderContext } from '../machines/orders/orderTypes.ts';

export type OrderOutcome = 'filled' | 'cancelled' | 'rejected' | 'expired';

/** Why orders were rejected, in few classes so the metric's label stays bounded. */
export type RejectClass = 'pre_trade' | 'margin' | 'submit_failed' | 'broker' | 'twap_slices' | 'other';

/** The pre-trade checks a refusal names (src/orders/preTradeChecks.ts), bounded likewise. */
export type PreTradeCheck = 'halted' | 'account' | 'locked_instrument' | 'max_order_size' | 'price' | 'position_limit' | 'price_collar' | 'other';

/**
 * What the order path reports to metrics. Called on the hot path: implementations only increment
 * and observe; timings are taken here with `performance.now()`.
 */
export interface OrderMetrics {
  finished(outcome: OrderOutcome, reason: RejectClass | 'none'): void;
  refused(check: PreTradeCheck): void;
  /** Job pickup to the placeOrder bytes written. */
  routed(seconds: number): void;
  /** placeOrder written to the broker's first answer (acknowledged, filled or rejected). */
  acknowledged(seconds: number): void;
  /** A commission the broker reported, in its currency ('unknown' when it named none). */
  commission(currency: string, amount: number): void;
}

export const noOrderMetrics: OrderMetrics = { finished() {}, refused() {}, routed() {}, acknowledged() {}, commission() {} };

export function rejectClassOf(reason: string | null): RejectClass {
  if (reason === null) return 'other';
  if (reason.startsWith('pre-trade:')) return 'pre_trade';
  if (reason.startsWith('whatIf margin')) return 'margin';
  if (reason.startsWith('submit failed')) return 'submit_failed';
  if (reason.startsWith('every TWAP slice')) return 'twap_slices';
  if (/^-?\d+: /.test(reason)) return 'broker';
  return 'other';
}

/** The check behind one refusal text of preTradeChecks (their wording is the contract). */
export function preTradeCheckOf(reason: string): PreTradeCheck {
  if (reason.startsWith('halted: ')) return 'halted';
  if (reason.includes('locked by an open reconciliation break')) return 'locked_instrument';
  if (reason.includes('exceeds the maximum order size')) return 'max_order_size';
  if (reason.startsWith('worst-case ')) return 'position_limit';
  if (reason.includes('collar')) return 'price_collar';
  if (/ is not a finite number$| must be positive for | is not on the .* tick of /.test(reason)) return 'price';
  if (/account/i.test(reason)) return 'account';
  return 'other';
}

const FIRST_ANSWERS = new Set(['working', 'partiallyFilled', 'filled', 'rejected', 'cancelled', 'cancelling']);

/**
 * Counts finished orders and refusals, and times the two order latencies with one map entry per
 * order in flight: its pickup time until the placeOrder is written, then (negated, so the entry is
 * reused) its write time until the broker's first answer.
 */
export class OrderMeter {
  private readonly times = new Map<string, number>();

  constructor(private readonly metrics: OrderMetrics) {}

  /** A new order's job, taken at `pickedAt` (performance.now(), always positive). */
  jobPickedUp(clientOrderId: string, pickedAt: number): void {
    this.times.set(clientOrderId, pickedAt);
  }

  modifyRefused(reasons: readonly string[]): void {
    for (const reason of reasons) this.metrics.refused(preTradeCheckOf(reason));
  }

  placementWritten(clientOrderId: string): void {
    const now = performance.now();
    const time = this.times.get(clientOrderId);
    // Negative: written before (a resend) and still waiting for the broker's first answer.
    if (time !== undefined && time < 0) return;
    if (time !== undefined) this.metrics.routed((now - time) / 1_000);
    this.times.set(clientOrderId, -now);
  }

  /** A written transition: the broker's first answer observes the ack; a finished order counts and leaves. */
  transitioned(clientOrderId: string, state: string, context: OrderContext, finished: boolean): void {
    if (FIRST_ANSWERS.has(state)) {
      const time = this.times.get(clientOrderId);
      if (time !== undefined && time < 0) {
        this.times.delete(clientOrderId);
        this.metrics.acknowledged((performance.now() + time) / 1_000);
      }
    }
    if (!finished) return;
    this.times.delete(clientOrderId);
    const outcome = state as OrderOutcome;
    if (outcome !== 'rejected') {
      this.metrics.finished(outcome, 'none');
      return;
    }
    const reason = rejectClassOf(context.rejectReason);
    this.metrics.finished('rejected', reason);
    if (reason === 'pre_trade' && context.checkFailures) for (const failure of context.checkFailures) this.metrics.refused(preTradeCheckOf(failure));
  }
}
