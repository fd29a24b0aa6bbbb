import { SimulatedClock, createMachine, fromCallback, setup, type AnyActorLogic } from 'xstate';
import { createSilentLogger } from '../../src/log/logger';
import { createSupervisionServices } from '../../src/supervision/services';
import { SupervisionTree } from '../../src/supervision/supervisionTree';
import type { SupervisorOptions } from '../../src/supervision/childSpec';

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
  context: { pings: 0 },
  initial: 'working',
  states: {
    working: {
      on: {
        ping: { actions: ({ context }) => void (context.pings += 1) },
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
