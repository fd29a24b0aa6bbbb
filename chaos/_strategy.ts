import type { Queue } from 'bullmq';
import { orderJobPriority, parseOrderJob } from '../src/orders/schema/index.ts';
import type { SeededRandom } from '../src/shared/seededRandom.ts';
import { sliceClientOrderId } from '../src/machines/orders/algorithms/twapSchedule.ts';
import type { LiveOrderTracker } from './_liveOrders.ts';
import type { RequestedOrder } from './_ledgerCheck.ts';
import { crossingLimit, passiveLimit, planOrder, type MarketView, type PlannedOrder, type PlanStep } from './_orderMix.ts';

/** An order as the strategy tracks it (also what the ledger check needs of it: a RequestedOrder). */
export interface StrategyOrder extends PlannedOrder {
  childIds: RequestedOrder['childIds'];
  submittedAt: number;
  stepsDone: number;
  cancelledByUs: boolean;
}

/** Sends order jobs some other way than straight onto the queue (e.g. through a node's admin API); resolves once taken. */
export type JobSender = (jobs: readonly Record<string, unknown>[]) => Promise<void>;

export interface StrategyDeps {
  /** The `orders` queue, on the chaos run's own connection (unless `send` is given). */
  queue?: Queue;
  /** Instead of the queue: where the jobs go. */
  send?: JobSender;
  rng: SeededRandom;
  runId: string;
  market: MarketView;
  tracker: LiveOrderTracker;
  total: number;
}

/** Where a resting order is moved by a `rest` step: further from the market than it was. */
const MOVED_LIMIT_PCT = 0.8;

/**
 * The strategy side of the run: it streams the orders onto the `orders` queue on schedule, works
 * its resting orders (crosses, moves, cancels them once the broker has them), and after a Redis
 * wipe resubmits what the wipe destroyed before intake, as any strategy would.
 */
export class ChaosStrategy {
  readonly requested = new Map<string, StrategyOrder>();
  /** While set (Redis being wiped and restarted), nothing is sent. */
  paused = false;
  resubmitted = 0;
  private next = 0;

  constructor(private readonly deps: StrategyDeps) {}

  get allSubmitted(): boolean {
    return this.next >= this.deps.total;
  }

  /** The next order of the stream, taken out of turn (a fault wants a fresh order). */
  takeNext(): PlannedOrder | null {
    if (this.allSubmitted) return null;
    return planOrder(this.deps.rng, this.next++, this.deps.runId, this.deps.market);
  }

  /** Submits every order due `elapsedMs` into a stream of `streamMs`. */
  async streamDue(elapsedMs: number, streamMs: number): Promise<void> {
    const due = Math.min(this.deps.total, Math.floor((elapsedMs / streamMs) * this.deps.total) + 1);
    while (!this.paused && this.next < due) {
      const order = this.takeNext();
      if (order) await this.submit(order);
    }
  }

  async submit(order: PlannedOrder): Promise<void> {
    await this.submitMany([order]);
  }

  /** Several orders in one queue write (a burst: the runtime takes them in one by one). */
  async submitMany(orders: PlannedOrder[]): Promise<void> {
    for (const order of orders) {
      const childIds = order.job.algorithm?.kind === 'twap' ? Array.from({ length: order.job.algorithm.slices }, (_, i) => sliceClientOrderId(order.clientOrderId, i)) : [];
      this.requested.set(order.clientOrderId, { ...order, childIds, submittedAt: Date.now(), stepsDone: 0, cancelledByUs: false });
    }
    const jobs = orders.map((order) => ({ name: 'chaos', data: order.job, opts: { priority: this.priorityOf(order.job) } }));
    if (this.deps.send) await this.deps.send(jobs.map((job) => job.data));
    else await this.queue.addBulk(jobs);
  }

  /** Runs the plan steps that are due; `skip` names orders a fault is working on. */
  async runDueSteps(skip: ReadonlySet<string>): Promise<void> {
    const now = Date.now();
    for (const order of this.requested.values()) {
      if (this.paused) return;
      const step = order.plan[order.stepsDone];
      if (!step || skip.has(order.clientOrderId)) continue;
      const from = step.from === 'live' ? this.deps.tracker.liveSince(order.clientOrderId) : order.submittedAt;
      if (from === undefined || now < from + step.afterMs) continue;
      await this.performNextStep(order);
    }
  }

  /** A resting order the broker has working with a step still to come (an actor-crash target). */
  pickWorkingWithStep(rng: SeededRandom): StrategyOrder | null {
    const candidates = [...this.requested.values()].filter(
      (o) => o.plan[o.stepsDone]?.from === 'live' && this.deps.tracker.isLive(o.clientOrderId),
    );
    return candidates.length === 0 ? null : candidates[rng.int(0, candidates.length - 1)]!;
  }

  /** Any order the broker has working now (a target for forged events). */
  pickWorking(rng: SeededRandom): StrategyOrder | null {
    const candidates = [...this.requested.values()].filter((o) => this.deps.tracker.isLive(o.clientOrderId));
    return candidates.length === 0 ? null : candidates[rng.int(0, candidates.length - 1)]!;
  }

  /** Takes the order's next step now (a step on an order the broker no longer has is dropped). */
  async performNextStep(order: StrategyOrder): Promise<PlanStep | null> {
    const step = order.plan[order.stepsDone];
    if (!step) return null;
    order.stepsDone += 1;
    if (step.from === 'live' && !this.deps.tracker.isLive(order.clientOrderId)) {
      // Filled (or ended) already: nothing left to work.
      order.stepsDone = order.plan.length;
      return null;
    }
    if (step.action === 'cancel') await this.cancel(order.clientOrderId);
    else {
      const limitPrice =
        step.action === 'cross'
          ? crossingLimit(this.deps.market, order.symbol, order.side)
          : passiveLimit(this.deps.market, order.symbol, order.side, MOVED_LIMIT_PCT);
      await this.enqueue({ type: 'modify', clientOrderId: order.clientOrderId, limitPrice });
    }
    return step;
  }

  async cancel(clientOrderId: string): Promise<void> {
    const order = this.requested.get(clientOrderId);
    if (order) {
      order.cancelledByUs = true;
      order.stepsDone = order.plan.length;
    }
    await this.enqueue({ type: 'cancel', clientOrderId });
  }

  /**
   * After a Redis wipe: the orders whose jobs it destroyed before the runtime took them in are sent
   * again under the same clientOrderId, and cancels it may have destroyed are asked again. An order
   * this strategy cancelled is never sent again.
   */
  async recoverFromWipe(recorded: ReadonlySet<string>, finished: (clientOrderId: string) => boolean): Promise<{ resubmitted: string[]; cancels: number }> {
    const resubmitted: string[] = [];
    let cancels = 0;
    for (const order of this.requested.values()) {
      if (order.cancelledByUs) {
        if (!finished(order.clientOrderId)) {
          cancels += 1;
          await this.enqueue({ type: 'cancel', clientOrderId: order.clientOrderId });
        }
        continue;
      }
      if (recorded.has(order.clientOrderId)) continue;
      resubmitted.push(order.clientOrderId);
      await this.enqueue(order.job);
    }
    this.resubmitted += resubmitted.length;
    return { resubmitted, cancels };
  }

  /**
   * The end of the session: resting orders still at the broker are cancelled, and so is any
   * limit-chase still working well past its deadline (returned: it should have ended on its own).
   */
  async cancelStillWorking(graceMs: number): Promise<{ cancelled: number; overdue: StrategyOrder[] }> {
    let cancelled = 0;
    const overdue: StrategyOrder[] = [];
    for (const order of this.requested.values()) {
      if (!this.deps.tracker.isLive(order.clientOrderId)) continue;
      if (order.kind === 'LMT' || order.kind === 'STP') {
        cancelled += 1;
        await this.cancel(order.clientOrderId);
      } else if (order.job.algorithm?.kind === 'limitChase' && Date.now() > order.submittedAt + order.job.algorithm.deadlineMs + graceMs && !order.cancelledByUs) {
        overdue.push(order);
        cancelled += 1;
        await this.cancel(order.clientOrderId);
      }
    }
    return { cancelled, overdue };
  }

  async enqueue(job: Record<string, unknown>): Promise<void> {
    const priority = this.priorityOf(job);
    if (this.deps.send) await this.deps.send([job]);
    else await this.queue.add('chaos', job, { priority });
  }

  private get queue(): Queue {
    if (!this.deps.queue) throw new Error('the chaos strategy has neither a queue nor a sender');
    return this.deps.queue;
  }

  /** The job's queue priority; the queue's own schema checks it first, so a mistake here cannot pass for a runtime failure. */
  private priorityOf(job: object): number {
    const parsed = parseOrderJob(job);
    if (!parsed.ok) throw new Error(`the chaos strategy built an invalid job (${parsed.errors.join('; ')}): ${JSON.stringify(job)}`);
    return orderJobPriority(parsed.job);
  }
}
