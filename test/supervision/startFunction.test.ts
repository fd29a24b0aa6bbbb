import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import fc from 'fast-check';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import { buildTree } from './helpers.ts';
import { waitUntil } from '../support/waitUntil.ts';

/**
 * A counter whose durable state lives in `store`: each increment is written there, a `crash`
 * throws inside an action. Its input is whatever its start function loaded.
 */
function durableCounter(store: Map<string, number>, seen: string[]) {
  return setup({
    types: {
      input: {} as { id: string; count: number; incarnation: number },
      context: {} as { id: string; count: number },
      events: {} as { type: 'inc' } | { type: 'crash' },
    },
    actions: {
      save: ({ context }) => void store.set(context.id, context.count),
      explode: () => {
        throw new Error('counter crashed');
      },
    },
  }).createMachine({
    id: 'durable-counter',
    context: ({ input }) => {
      seen.push(`incarnation ${input.incarnation} from ${input.count}`);
      return { id: input.id, count: input.count };
    },
    on: {
      inc: { actions: [assign({ count: ({ context }) => context.count + 1 }), 'save'] },
      crash: { actions: 'explode' },
    },
  });
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('start functions (OTP start: input loaded on every start and restart)', () => {
  it('a restarted child reloads its durable state instead of replaying its first input; events sent while it loads are held', async () => {
    const store = new Map<string, number>([['c', 10]]);
    const seen: string[] = [];
    const loads: number[] = [];
    const { tree } = buildTree({
      intensity: 5,
      children: [
        {
          id: 'c',
          logic: durableCounter(store, seen),
          start: async ({ incarnation }) => {
            loads.push(incarnation);
            await settle();
            return { id: 'c', count: store.get('c') ?? 0, incarnation };
          },
        },
      ],
    });
    tree.start();
    // Still loading: the child is `starting`, and what is sent to it waits for it.
    expect(tree.describe().children[0]!.status).toBe('starting');
    expect(tree.send('c', { type: 'inc' })).toBe('buffered');
    await waitUntil(() => store.get('c') === 11, 'the held increment');
    tree.send('c', { type: 'inc' });
    expect(store.get('c')).toBe(12);

    tree.send('c', { type: 'crash' });
    tree.send('c', { type: 'inc' });
    await waitUntil(() => store.get('c') === 13, 'the increment after the restart');
    expect(loads).toEqual([1, 2]);
    expect(seen).toEqual(['incarnation 1 from 10', 'incarnation 2 from 12']);
    expect(tree.describe().children[0]!.restarts).toBe(1);
    await tree.stop();
  });

  it('a start function that fails is the child failing: restarted by policy, and past the intensity the supervisor escalates', async () => {
    let attempts = 0;
    const { tree } = buildTree({
      children: [
        supervisor('inner', {
          intensity: 2,
          periodMs: 60_000,
          children: [
            {
              id: 'flaky',
              logic: durableCounter(new Map(), []),
              start: async () => {
                attempts += 1;
                throw new Error('store unreachable');
              },
            },
          ],
        }),
      ],
      intensity: 0,
    });
    tree.start();
    const outcome = await tree.outcome;
    // The first start and two restarts fail; the third failure is over the intensity.
    expect(attempts).toBe(3);
    expect(outcome.kind).toBe('escalated');
  });

  it('a child stopped while it loads is never created, and what was held for it becomes dead letters', async () => {
    const seen: string[] = [];
    let release: (value: unknown) => void = () => {};
    const { tree, services } = buildTree({ children: [supervisor('orders', { intensity: 5, children: [] })] });
    const dead: string[] = [];
    services.deadLetters.onDeadLetter((letter) => dead.push(`${letter.systemId}:${letter.event.type}`));
    tree.start();
    tree.startChild('orders', {
      id: 'slow',
      logic: durableCounter(new Map(), seen),
      restart: 'transient',
      start: () => new Promise((resolve) => (release = resolve)),
    });
    expect(tree.send('slow', { type: 'inc' })).toBe('buffered');
    tree.terminateChild('orders', 'slow');
    release({ id: 'slow', count: 0, incarnation: 1 });
    await settle();
    expect(seen).toEqual([]);
    expect(tree.describe().children[0]!.children).toEqual([]);
    expect(dead).toEqual(['slow:inc']);
    await tree.stop();
  });

  it('a start function that answers synchronously starts the child at once (no extra turn on the hot path)', () => {
    const seen: string[] = [];
    const { tree } = buildTree({ children: [supervisor('orders', { intensity: 5, children: [] })] });
    tree.start();
    tree.startChild('orders', { id: 'now', logic: durableCounter(new Map(), seen), start: ({ incarnation }) => ({ id: 'now', count: 7, incarnation }) });
    expect(seen).toEqual(['incarnation 1 from 7']);
    expect(tree.send('now', { type: 'inc' })).toBe('delivered');
  });

  it('property: whatever the crashes, each incarnation starts from the last durable count and no increment is lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('inc', 'crash'), { minLength: 1, maxLength: 30 }), async (events) => {
        const store = new Map<string, number>([['p', 0]]);
        const seen: string[] = [];
        const { tree } = buildTree({
          intensity: 100,
          children: [
            {
              id: 'p',
              logic: durableCounter(store, seen),
              start: async ({ incarnation }) => {
                await Promise.resolve();
                return { id: 'p', count: store.get('p') ?? 0, incarnation };
              },
            },
          ],
        });
        tree.start();
        for (const type of events) {
          tree.send('p', { type } as { type: 'inc' | 'crash' });
          await settle();
        }
        const incs = events.filter((e) => e === 'inc').length;
        const crashes = events.length - incs;
        expect(store.get('p')).toBe(incs);
        expect(seen).toHaveLength(crashes + 1);
        await tree.stop();
      }),
      { numRuns: 40 },
    );
  });
});
