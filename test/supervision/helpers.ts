import { SimulatedClock, assign, createMachine, fromCallback, setup, type AnyActorLogic } from 'xstate';
import { createSilentLogger } from '../../src/log/logger.ts';
import { createSupervisionServices } from '../../src/supervision/services.ts';
import { SupervisionTree } from '../../src/supervision/supervisionTree.ts';
import type { SupervisorOptions } from '../../src/supervision/childSpec.ts';

/** A worker that counts pings and crashes on `crash`, finishes on `finish`. */
export const workerMachine = setup({
  types: { context: {} as { pings: number }, events: {} as { type: 'ping' } | { type: 'crash' } | { type: 'finish' } },
  actions: {
    explode: () => {
      throw new Error('worker crashed on purpose');
    },
  },
}).createMachine({
  id: 'worker',
  context: () => ({ pings: 0 }),
  initial: 'working',
  states: {
    working: {
      on: {
        ping: { actions: assign({ pings: ({ context }) => context.pings + 1 }) },
        crash: { actions: 'explode' },
        finish: 'finished',
      },
    },
    finished: { type: 'final' },
  },
});

export function buildTree(root: SupervisorOptions, extra: { clock?: SimulatedClock } = {}) {
  const clock = extra.clock ?? new SimulatedClock();
  const services = createSupervisionServices({ logger: createSilentLogger(), now: () => clock.now(), random: () => 0.5 });
  const tree = new SupervisionTree({ root, services, clock });
  return { tree, clock, services };
}

export { createMachine, fromCallback, type AnyActorLogic };

/** Records start and stop of each incarnation, in order, into `log`. */
export function recorderMachine(log: string[]) {
  return setup({
    types: { input: {} as { name: string }, context: {} as { name: string }, events: {} as { type: 'crash' } | { type: 'finish' } | { type: 'ping' } },
    actors: {
      life: fromCallback<any, { name: string }>(({ input }) => {
        log.push(`start:${input.name}`);
        return () => log.push(`stop:${input.name}`);
      }),
    },
    actions: {
      explode: () => {
        throw new Error('recorder crashed');
      },
    },
  }).createMachine({
    id: 'recorder',
    context: ({ input }) => ({ name: input.name }),
    initial: 'up',
    states: {
      up: {
        invoke: { src: 'life', input: ({ context }) => ({ name: context.name }) },
        on: { crash: { actions: 'explode' }, finish: 'finished' },
      },
      finished: { type: 'final' },
    },
  });
}

/** Handles the graceful shutdown event by draining for `drainMs` (simulated) before finishing. */
export function gracefulMachine(log: string[], drainMs: number) {
  return setup({ types: { input: {} as { name: string }, context: {} as { name: string } } }).createMachine({
    id: 'graceful',
    context: ({ input }) => ({ name: input.name }),
    initial: 'up',
    states: {
      up: { on: { 'tradewire.shutdown': 'draining' } },
      draining: {
        entry: ({ context }) => log.push(`draining:${context.name}`),
        after: { [drainMs]: 'finished' },
      },
      finished: { type: 'final', entry: ({ context }) => log.push(`drained:${context.name}`) },
    },
  });
}
