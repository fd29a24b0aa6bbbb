import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, assign, createActor, enqueueActions, setup } from 'xstate';
import { indexScheduler } from '../../src/supervision/indexedScheduler.ts';

const ticking = setup({ delays: { soon: 1_000, later: 5_000 } }).createMachine({
  initial: 'waiting',
  context: { fired: 0 },
  states: {
    waiting: {
      after: { soon: { target: 'waiting', reenter: true, actions: assign({ fired: ({ context }) => context.fired + 1 }) }, later: 'done' },
    },
    done: {},
  },
});

/** Children started and stopped by event, as a supervisor does with order actors. */
const parent = setup({
  types: { events: {} as { type: 'start'; id: string } | { type: 'stop'; id: string } },
  actors: { ticking },
}).createMachine({
  on: {
    start: { actions: enqueueActions(({ event, enqueue, self }) => void (self.getSnapshot().children[event.id] ? undefined : enqueue.spawnChild('ticking', { id: event.id }))) },
    stop: { actions: enqueueActions(({ event, enqueue }) => enqueue.stopChild(event.id)) },
  },
});

function run(steps: [string, number][], indexed: boolean) {
  const clock = new SimulatedClock();
  const root = createActor(parent, { clock });
  if (indexed) indexScheduler(root.system);
  root.start();
  for (const [step, n] of steps) {
    if (step === 'tick') clock.increment(700);
    else root.send({ type: step as 'start' | 'stop', id: `c${n}` });
  }
  const children = root.getSnapshot().children as unknown as Record<string, { getSnapshot(): { context: { fired: number } } }>;
  return {
    scheduled: Object.values(root.system.getSnapshot()._scheduledEvents).map((e) => `${e.source.id}:${e.id}`).sort(),
    fired: Object.fromEntries(Object.entries(children).map(([id, child]) => [id, child.getSnapshot().context.fired])),
  };
}

describe('indexed scheduler: stopping an actor cancels just its own delayed events', () => {
  it('leaves the same delayed events and the same firings as XState’s own scan, for any starts, stops and clock steps (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('start', 'stop', 'tick'), fc.integer({ min: 0, max: 5 })), { maxLength: 40 }), (steps) => {
        expect(run(steps, true)).toEqual(run(steps, false));
      }),
      { numRuns: 150 },
    );
  });

  it('a stopped actor’s timers are gone and the others keep running', () => {
    const result = run([['start', 1], ['start', 2], ['stop', 1], ['tick', 0], ['tick', 0]], true);
    expect(result.scheduled.every((s) => s.startsWith('c2:'))).toBe(true);
    expect(result.scheduled).toHaveLength(2);
    expect(result.fired).toEqual({ c2: 1 });
  });
});
