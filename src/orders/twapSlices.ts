import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import { sliceClientOrderId } from '../machines/orders/algorithms/twapSchedule.ts';
import { sliceSpec, type Fill, type OrderSpec } from '../machines/orders/orderTypes.ts';
import type { OrderStore } from './orderStore.ts';
import { sendToOrder } from './orderActorIds.ts';

export interface TwapSlicesDeps {
  tree: SupervisionTree;
  store: OrderStore;
  /** Starts a new slice's order actor and records its receipt. */
  startSlice(spec: OrderSpec, index: number): void;
  /** A slice already in the store with no actor here (its creation's reply was lost) is started from the store. */
  adoptIfOrphaned(clientOrderId: string): Promise<void>;
}

/**
 * TWAP slices are orders of their own (all the crash safety of any order), under ids derived from
 * their parent's. This keeps a parent told what its slices do: issuing a slice again after a
 * restart is a duplicate, and then the parent hears what the existing slice has done.
 */
export class TwapSlices {
  constructor(private readonly deps: TwapSlicesDeps) {}

  async issue(parent: OrderSpec, index: number, quantity: number): Promise<void> {
    const id = sliceClientOrderId(parent.clientOrderId, index);
    const spec = sliceSpec(parent, id, quantity);
    if (!(await this.deps.store.create(spec, Date.now()))) {
      await this.deps.adoptIfOrphaned(id);
      return this.replay(parent.clientOrderId, id);
    }
    this.deps.startSlice(spec, index);
  }

  cancel(parent: OrderSpec, slices: string[]): void {
    for (const id of slices) {
      // A slice with no running actor has ended: its parent hears how from the store.
      if (sendToOrder(this.deps.tree, id, { type: 'CANCEL', reason: `parent ${parent.clientOrderId} cancelled` }) === 'unknown') void this.replay(parent.clientOrderId, id);
    }
  }

  /** A slice's new executions and its end, as they happen. */
  forward(parentId: string, sliceId: string, fills: readonly Fill[], endedAs?: string): void {
    for (const fill of fills) sendToOrder(this.deps.tree, parentId, { type: 'child.fill', childId: sliceId, fill });
    if (endedAs) sendToOrder(this.deps.tree, parentId, { type: 'child.done', childId: sliceId, state: endedAs });
  }

  /** Everything a slice has done so far (the parent de-duplicates fills by execId). */
  async replay(parentId: string, sliceId: string): Promise<void> {
    const stored = await this.deps.store.load(sliceId);
    if (!stored) return;
    this.forward(parentId, sliceId, stored.context?.fills ?? [], this.deps.store.isTerminal(stored.state) ? stored.state : undefined);
  }
}
