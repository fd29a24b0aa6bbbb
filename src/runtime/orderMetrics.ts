import { Counter, Histogram, type Registry } from 'prom-client';
import type { OrderMetrics, OrderOutcome, PreTradeCheck, RejectClass } from '../orders/orderMetrics.ts';

const OUTCOMES: readonly OrderOutcome[] = ['filled', 'cancelled', 'rejected', 'expired'];
const REJECT_CLASSES: readonly RejectClass[] = ['pre_trade', 'margin', 'submit_failed', 'broker', 'twap_slices', 'other'];
const CHECKS: readonly PreTradeCheck[] = ['halted', 'account', 'locked_instrument', 'max_order_size', 'price', 'position_limit', 'price_collar', 'other'];

/** Route latency is sub-millisecond to a few ms (bench/orders.ts); the tail is pacing or a reconnect. */
const ROUTE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The order path's metrics. Counts are plain numbers bumped per event and handed to prom-client at
 * scrape time (as the market-data engine does), so an order costs no label lookup; the two
 * histograms observe once per order, unlabelled.
 */
export function registerOrderMetrics(registry: Registry): OrderMetrics {
  const finishedCounts = new Float64Array(OUTCOMES.length + REJECT_CLASSES.length);
  const refusalCounts = new Float64Array(CHECKS.length);
  const commissions = new Map<string, number>();
  new Counter({
    name: 'tradewire_orders_total',
    help: 'Orders finished, by outcome (filled, cancelled, rejected, expired); rejected ones by reason class (pre_trade, margin, submit_failed, broker, twap_slices, other), others reason "none"',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      OUTCOMES.forEach((outcome, o) => {
        if (outcome !== 'rejected') this.inc({ outcome, reason: 'none' }, finishedCounts[o]!);
      });
      REJECT_CLASSES.forEach((reason, r) => this.inc({ outcome: 'rejected', reason }, finishedCounts[OUTCOMES.length + r]!));
    },
  });
  new Counter({
    name: 'tradewire_pretrade_refusals_total',
    help: 'Pre-trade check failures of new orders and modifies, by check (an order failing two checks counts in both)',
    labelNames: ['check'],
    registers: [registry],
    collect() {
      this.reset();
      CHECKS.forEach((check, c) => this.inc({ check }, refusalCounts[c]!));
    },
  });
  new Counter({
    name: 'tradewire_commissions_total',
    help: 'Commissions the broker reported, by currency (in that currency)',
    labelNames: ['currency'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [currency, amount] of commissions) this.inc({ currency }, amount);
    },
  });
  const route = new Histogram({
    name: 'tradewire_order_route_seconds',
    help: "A new order's job pickup to its placeOrder written to the broker connection's socket",
    buckets: ROUTE_BUCKETS,
    registers: [registry],
  });
  const ack = new Histogram({
    name: 'tradewire_order_ack_seconds',
    help: "An order's placeOrder written to the broker's first answer (acknowledged, filled, rejected or cancelled)",
    buckets: ACK_BUCKETS,
    registers: [registry],
  });
  return {
    finished(outcome, reason) {
      const index = outcome === 'rejected' ? OUTCOMES.length + REJECT_CLASSES.indexOf(reason as RejectClass) : OUTCOMES.indexOf(outcome);
      finishedCounts[index]! += 1;
    },
    refused(check) {
      refusalCounts[CHECKS.indexOf(check)]! += 1;
    },
    routed(seconds) {
      route.observe(seconds);
    },
    acknowledged(seconds) {
      ack.observe(seconds);
    },
    commission(currency, amount) {
      // Amounts are non-negative; IB sends a huge sentinel for "not yet known".
      if (!(amount >= 0 && amount < 1e9)) return;
      commissions.set(currency, (commissions.get(currency) ?? 0) + amount);
    },
  };
}
