import type { StoredOrder } from '../src/orders/orderStore.ts';

const TERMINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export const isTerminalState = (state: string) => TERMINAL.has(state);

export interface KnownState {
  state: string;
  filled: number;
  /** When this was true (the store's updatedAt, or when the log line arrived). */
  at: number;
  source: 'store' | 'log';
}

export interface PublishedExecution {
  jobId: string;
  clientOrderId: string;
  quantity: number;
}

/**
 * Everything the runtime said it did, gathered while it runs, because a Redis wipe destroys what
 * Redis held: its order store (read periodically, and once more at each wipe), the fills it
 * published on the `fills` queue, and its `order finished` log lines.
 */
export class RuntimeRecords {
  /** Every order id the runtime ever recorded. */
  readonly created = new Set<string>();
  /** A child order (TWAP slice) -> its parent, from the stored specs. */
  readonly parentOf = new Map<string, string>();
  readonly latest = new Map<string, KnownState>();
  /** execId -> the orders whose stored fills hold it. */
  readonly storedFills = new Map<string, Set<string>>();
  /** An order whose stored fills hold one execId twice. */
  readonly storedTwice: { clientOrderId: string; execId: string }[] = [];
  /** execId -> its publications on the `fills` queue, by job id. */
  readonly published = new Map<string, Map<string, PublishedExecution>>();
  /** Orders whose stored state is final: their record will not change, so it is not read again. */
  readonly settled = new Set<string>();

  noteStored(clientOrderId: string, stored: StoredOrder): void {
    this.created.add(clientOrderId);
    if (stored.spec.parentId) this.parentOf.set(clientOrderId, stored.spec.parentId);
    this.noteState(clientOrderId, { state: stored.state, filled: stored.context?.filledQuantity ?? 0, at: stored.updatedAt, source: 'store' });
    const fills = stored.context?.fills ?? [];
    const seen = new Set<string>();
    for (const fill of fills) {
      if (seen.has(fill.execId)) {
        if (!this.storedTwice.some((d) => d.clientOrderId === clientOrderId && d.execId === fill.execId)) this.storedTwice.push({ clientOrderId, execId: fill.execId });
        continue;
      }
      seen.add(fill.execId);
      let owners = this.storedFills.get(fill.execId);
      if (!owners) this.storedFills.set(fill.execId, (owners = new Set()));
      owners.add(clientOrderId);
    }
    if (isTerminalState(stored.state)) this.settled.add(clientOrderId);
  }

  /** A job from the `fills` queue (fills carry their executions; commission jobs book nothing). */
  notePublished(jobId: string, name: string, data: unknown): void {
    if (name !== 'fill' || typeof data !== 'object' || data === null) return;
    const fill = data as { clientOrderId?: unknown; executions?: unknown };
    if (typeof fill.clientOrderId !== 'string' || !Array.isArray(fill.executions)) return;
    for (const execution of fill.executions as { execId?: unknown; quantity?: unknown }[]) {
      if (typeof execution?.execId !== 'string') continue;
      let byJob = this.published.get(execution.execId);
      if (!byJob) this.published.set(execution.execId, (byJob = new Map()));
      byJob.set(jobId, { jobId, clientOrderId: fill.clientOrderId, quantity: Number(execution.quantity) });
    }
  }

  /** An `order finished` log line. */
  noteFinished(clientOrderId: string, state: string, filled: number): void {
    this.created.add(clientOrderId);
    this.noteState(clientOrderId, { state, filled, at: Date.now(), source: 'log' });
  }

  /** The newest word on an order; a final state is never replaced by an open one. */
  private noteState(clientOrderId: string, next: KnownState): void {
    const known = this.latest.get(clientOrderId);
    if (known && (known.at > next.at || (isTerminalState(known.state) && !isTerminalState(next.state)))) return;
    this.latest.set(clientOrderId, next);
  }
}
