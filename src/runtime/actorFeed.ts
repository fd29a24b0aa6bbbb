import type { ActorFeedEvent, ActorFeedView, ActorNode } from '../admin/runtimeView.ts';
import { everyInterval, type Every } from '../shared/every.ts';
import type { SupervisionChange } from './nodeTree.ts';

export interface ActorFeedOptions {
  /** The tree now (`/actors`). */
  tree: () => ActorNode;
  /** Subscribes to what supervisors do (NodeTree.onSupervision). */
  onSupervision: (listener: (change: SupervisionChange) => void) => () => void;
  /** How often the tree is compared with the last one sent: the coalescing interval. */
  intervalMs?: number;
  /** The comparison timer (tests pass their own). */
  every?: Every;
}

function detailOf(change: SupervisionChange): string {
  const under = `under ${change.supervisorId}`;
  if (change.kind === 'escalation') return 'restart intensity exceeded';
  if (change.kind === 'stopped') return `${under}: ${change.reason === 'error' ? 'failed' : 'exited'}`;
  return under;
}

/**
 * The node's actor tree as it changes, for `GET /actors/stream`. Nested actors do not notify the
 * root when their state changes, so while anyone listens the tree is compared with the last one
 * sent every `intervalMs` (100 ms): several changes in between go out as one tree, and an idle
 * tree sends nothing. Supervision events go out as they happen. Nothing runs without a listener.
 */
export class ActorFeed implements ActorFeedView {
  private readonly listeners = new Set<(event: ActorFeedEvent) => void>();
  private running: { stop: () => void; last: string } | null = null;

  constructor(private readonly options: ActorFeedOptions) {}

  subscribe(listener: (event: ActorFeedEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.running) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.halt();
    };
  }

  private start(): void {
    const running = { last: JSON.stringify(this.options.tree()), stop: () => undefined };
    this.running = running;
    const stopWatching = this.options.onSupervision((change) =>
      this.tell({ type: 'supervision', event: { kind: change.kind, systemId: change.systemId, at: new Date().toISOString(), detail: detailOf(change) } }),
    );
    const stopComparing = (this.options.every ?? everyInterval)(() => {
      const tree = this.options.tree();
      const text = JSON.stringify(tree);
      if (text === running.last) return;
      running.last = text;
      this.tell({ type: 'tree', tree });
    }, this.options.intervalMs ?? 100);
    running.stop = () => {
      stopWatching();
      stopComparing();
    };
  }

  private halt(): void {
    this.running?.stop();
    this.running = null;
  }

  private tell(event: ActorFeedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
