import { assign, setup } from 'xstate';

/** The machine both the bare and the supervised runs drive: one assign per event. */
export const counterMachine = setup({
  types: { context: {} as { count: number }, events: {} as { type: 'inc' } | { type: 'crash' } },
  actions: {
    crash: () => {
      throw new Error('benchmark crash');
    },
  },
}).createMachine({
  id: 'counter',
  context: () => ({ count: 0 }),
  on: {
    inc: { actions: assign({ count: ({ context }) => context.count + 1 }) },
    crash: { actions: 'crash' },
  },
});
