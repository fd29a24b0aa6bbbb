import type { Queue } from 'bullmq';
import type { Logger } from '../log/logger';

interface HeldFill {
  jobId: string;
  fill: Record<string, unknown>;
  missing: Set<string>;
  commission: number;
  timer: NodeJS.Timeout;
}

const REMEMBERED = 10_000;

/**
 * Publishes fills to the `fills` queue with their commissions. IB reports a commission just after
 * its execution, so a fill waits up to `waitMs` for the commissions of its executions and goes out
 * as one job that carries them; only a commission later than that goes out on its own. That is one
 * job per fill for the strategy, and one queue write fewer per fill.
 */
export class FillPublisher {
  private readonly waitingFor = new Map<string, HeldFill>();
  /** Commissions that arrived before their fill was published. */
  private readonly early = new Map<string, number>();
  /** Commissions already carried by a published fill (a late duplicate must not be published again). */
  private readonly carried = new Set<string>();
  private readonly pendingAlone = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly queue: Queue,
    private readonly waitMs: number,
    private readonly logger: Logger,
  ) {}

  publish(jobId: string, fill: Record<string, unknown>, execIds: string[]): void {
    const held: HeldFill = { jobId, fill, missing: new Set(), commission: 0, timer: undefined as unknown as NodeJS.Timeout };
    for (const execId of execIds) {
      const known = this.early.get(execId);
      if (known === undefined) held.missing.add(execId);
      else {
        held.commission += known;
        this.early.delete(execId);
        this.remember(execId);
      }
    }
    if (held.missing.size === 0 || this.waitMs <= 0) return this.send(held);
    for (const execId of held.missing) this.waitingFor.set(execId, held);
    held.timer = setTimeout(() => this.send(held), this.waitMs);
    held.timer.unref?.();
  }

  /** A commission from the broker. True when a fill carries it (published or about to be), so it needs no job of its own. */
  commission(execId: string, amount: number): boolean {
    if (this.carried.has(execId)) return true;
    const held = this.waitingFor.get(execId);
    if (!held) {
      this.early.set(execId, amount);
      if (this.early.size > REMEMBERED) this.early.delete(this.early.keys().next().value as string);
      return false;
    }
    this.waitingFor.delete(execId);
    held.missing.delete(execId);
    held.commission += amount;
    this.remember(execId);
    if (held.missing.size === 0) {
      clearTimeout(held.timer);
      this.send(held);
    }
    return true;
  }

  /**
   * A commission whose order has finished and whose fill may still be on its way to publication:
   * if no fill has taken it within the wait, it is published on its own.
   */
  unclaimed(execId: string, publishAlone: () => void): void {
    if (this.carried.has(execId)) return;
    const timer = setTimeout(() => {
      this.pendingAlone.delete(timer);
      if (!this.carried.has(execId)) publishAlone();
    }, Math.max(this.waitMs, 1) * 2);
    timer.unref?.();
    this.pendingAlone.set(timer, publishAlone);
  }

  /** Publishes whatever still waits (on shutdown). */
  flush(): void {
    for (const held of new Set(this.waitingFor.values())) {
      clearTimeout(held.timer);
      this.send(held);
    }
    for (const [timer, publishAlone] of this.pendingAlone) {
      clearTimeout(timer);
      publishAlone();
    }
    this.pendingAlone.clear();
  }

  private send(held: HeldFill): void {
    for (const execId of held.missing) if (this.waitingFor.get(execId) === held) this.waitingFor.delete(execId);
    const fill = { ...held.fill, commission: held.commission, commissionsPending: held.missing.size };
    held.missing = new Set();
    this.queue.add('fill', fill, { jobId: held.jobId }).catch((error: Error) =>
      this.logger.error('fill not published', { orderId: String(held.fill.clientOrderId), error: error.message }),
    );
  }

  private remember(execId: string): void {
    this.carried.add(execId);
    if (this.carried.size > REMEMBERED) this.carried.delete(this.carried.values().next().value as string);
  }
}
