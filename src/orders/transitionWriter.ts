import type { OrderContext } from '../machines/orders/orderTypes.ts';
import type { OrderStore } from './orderStore.ts';

interface Pending {
  states: { state: string; context: OrderContext }[];
}

/**
 * Writes order transitions to the store, one write per order per macrostep. An order passes
 * received → validating → submitting in one synchronous step; the writes of that step
 * would leave the process together anyway (one pipelined flush), so writing only the step's last
 * state loses nothing a crash could have kept, and saves the intermediate writes. Every state is
 * still reported, in order, once the write has landed.
 */
export class TransitionWriter {
  private readonly pending = new Map<string, Pending>();
  private scheduled = false;
  private readonly flush = () => this.writePending();

  constructor(
    private readonly store: OrderStore,
    private readonly onWritten: (clientOrderId: string, state: string, context: OrderContext) => void,
    private readonly onFailed: (clientOrderId: string, state: string, error: Error) => void,
  ) {}

  persist(clientOrderId: string, state: string, context: OrderContext): void {
    let entry = this.pending.get(clientOrderId);
    if (!entry) {
      entry = { states: [] };
      this.pending.set(clientOrderId, entry);
    }
    entry.states.push({ state, context });
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
  }

  private writePending(): void {
    this.scheduled = false;
    for (const [clientOrderId, { states }] of this.pending) {
      const last = states[states.length - 1]!;
      this.store.save(clientOrderId, last.state, last.context).then(
        () => {
          for (const { state, context } of states) this.onWritten(clientOrderId, state, context);
        },
        (error: Error) => this.onFailed(clientOrderId, last.state, error),
      );
    }
    this.pending.clear();
  }
}
