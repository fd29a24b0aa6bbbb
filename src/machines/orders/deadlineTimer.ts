import { sendParent, setup } from 'xstate';

/**
 * An order's deadline as a child of its own, started once when the order starts: the time runs
 * from receipt whatever states the order passes through, and an order without a deadline
 * schedules nothing (XState's scheduler is shared by every actor, so idle timers cost all of them).
 */
export const deadlineTimer = setup({
  types: { input: {} as { inMs: number }, context: {} as { inMs: number } },
  delays: { deadline: ({ context }) => Math.max(0, context.inMs) },
}).createMachine({
  id: 'deadlineTimer',
  context: ({ input }) => ({ inMs: input.inMs }),
  initial: 'waiting',
  states: {
    waiting: { after: { deadline: { target: 'passed', actions: sendParent({ type: 'DEADLINE' }) } } },
    passed: { type: 'final' },
  },
});
