import type { Queue } from 'bullmq';
import type { Logger } from '../log/logger.ts';

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
  /** Per order, the publication in progress: an order's fills reach the queue in order, one job at a time. */
  private readonly chains = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly queue: Queue,
    private readonly waitMs: number,
    private readonly logger: Logger,
    /** The queue holds the order's fills up to this filled quantity (the store's outbox is cleared with it). */
    private readonly onPublished: (clientOrderId: string, filledQuantity: number) => Promise<void> = async () => {},
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

  /** No more retries: what is not on the queue yet stays in the store's outbox for the next start. */
  close(): void {
    this.closed = true;
  }

  /** Publications still in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  private send(held: HeldFill): void {
    for (const execId of held.missing) if (this.waitingFor.get(execId) === held) this.waitingFor.delete(execId);
    const fill = { ...held.fill, commission: held.commission, commissionsPending: held.missing.size };
    held.missing = new Set();
    const clientOrderId = String(held.fill.clientOrderId);
    const filledQuantity = Number(held.fill.filledQuantity);
    const next = (this.chains.get(clientOrderId) ?? Promise.resolve())
      .then(() => this.addUntilDone(held.jobId, fill))
      .then(() => this.onPublished(clientOrderId, filledQuantity))
      .catch((error: Error) => {
        this.logger.error('fill not published; it stays in the outbox for the next start', { orderId: clientOrderId, error: error.message });
      });
    this.chains.set(clientOrderId, next);
    void next.finally(() => {
      if (this.chains.get(clientOrderId) === next) this.chains.delete(clientOrderId);
    });
  }

  /** The job id is the fill's own, so an add retried after an unanswered one is the same job. */
  private async addUntilDone(jobId: string, fill: Record<string, unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.queue.add('fill', fill, { jobId });
        return;
      } catch (error) {
        if (this.closed) throw error;
        if (attempt === 1) this.logger.warn('fill not published yet; retrying', { orderId: String(fill.clientOrderId), error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))).unref());
      }
    }
  }

  private remember(execId: string): void {
    this.carried.add(execId);
    if (this.carried.size > REMEMBERED) this.carried.delete(this.carried.values().next().value as string);
  }
}
