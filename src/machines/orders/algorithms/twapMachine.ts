import { enqueueActions, setup } from 'xstate';
import { sliceDueAtMs, sliceQuantities } from './twapSchedule.ts';

export interface TwapInput {
  quantity: number;
  slices: number;
  durationMs: number;
  /** Slices already issued (after a restart). */
  issued: number;
  /** Time since the order started (after a restart), so the schedule keeps its original times. */
  elapsedMs: number;
}

interface TwapContext {
  quantities: number[];
  slices: number;
  durationMs: number;
  next: number;
  /** Time since the order started, as this schedule has counted it. */
  elapsedMs: number;
}

export type TwapSliceEvent = { type: 'algo.slice'; index: number; quantity: number };

/**
 * TWAP as a child of the order actor: it tells its parent when each slice is due; the parent
 * issues the slice as a child order of its own. Slices that fell due while the process was down
 * are issued at once on restart, in order.
 */
export const twapMachine = setup({
  types: { context: {} as TwapContext, input: {} as TwapInput },
  delays: {
    untilNextSlice: ({ context }) => Math.max(0, sliceDueAtMs(context.next, context.quantities.length, context.durationMs) - context.elapsedMs),
  },
  guards: {
    allIssued: ({ context }) => context.next >= context.quantities.length,
    // Due now (the first slice, or ones that fell due while the process was down): no timer, which would wait a tick.
    sliceDue: ({ context }) => sliceDueAtMs(context.next, context.quantities.length, context.durationMs) <= context.elapsedMs,
  },
  actions: {
    issueNext: enqueueActions(({ context, enqueue }) => {
      enqueue.sendParent({ type: 'algo.slice', index: context.next, quantity: context.quantities[context.next] ?? 0 } satisfies TwapSliceEvent);
      enqueue.assign({
        elapsedMs: Math.max(context.elapsedMs, sliceDueAtMs(context.next, context.quantities.length, context.durationMs)),
        next: context.next + 1,
      });
    }),
  },
}).createMachine({
  id: 'twap',
  context: ({ input }) => {
    const quantities = sliceQuantities(input.quantity, input.slices);
    return { quantities, slices: quantities.length, durationMs: input.durationMs, next: input.issued, elapsedMs: input.elapsedMs };
  },
  initial: 'waiting',
  states: {
    waiting: {
      always: [
        { guard: 'allIssued', target: 'done' },
        { guard: 'sliceDue', target: 'waiting', reenter: true, actions: 'issueNext' },
      ],
      after: { untilNextSlice: { target: 'waiting', reenter: true, actions: 'issueNext' } },
    },
    done: { type: 'final' },
  },
});
