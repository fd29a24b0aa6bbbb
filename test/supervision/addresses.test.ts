import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/supervision/backoff.ts';
import { buildTree, workerMachine } from './helpers.ts';
import fc from 'fast-check';

const pings = (tree: ReturnType<typeof buildTree>['tree'], id: string) => (tree.get(id)!.getSnapshot() as { context: { pings: number } }).context.pings;

describe('messages during a restart', () => {
  it('are held while the child waits out its backoff and delivered, in order, to the new incarnation', () => {
    const { tree, clock } = buildTree({
      intensity: 5,
      backoff: { minMs: 100, maxMs: 1_000, jitter: 0 },
      children: [{ id: 'w', logic: workerMachine }],
    });
    tree.start();
    tree.send('w', { type: 'crash' });
    expect(tree.get('w')).toBeUndefined();
    expect(tree.describe().children[0]!.status).toBe('restarting');
    expect(tree.readiness().ready).toBe(false);
    expect([tree.send('w', { type: 'ping' }), tree.send('w', { type: 'ping' })]).toEqual(['buffered', 'buffered']);
    clock.increment(99);
    expect(tree.get('w')).toBeUndefined();
    clock.increment(1);
    expect(pings(tree, 'w')).toBe(2);
    expect(tree.readiness().ready).toBe(true);
  });

  it('overflowing the bounded buffer sends the excess to the dead-letter channel, counted', () => {
    const { tree, clock, services } = buildTree({
      intensity: 5,
      restartBufferSize: 3,
      backoff: { minMs: 100, maxMs: 100, jitter: 0 },
      children: [{ id: 'w', logic: workerMachine }],
    });
    tree.start();
    tree.send('w', { type: 'crash' });
    const results = Array.from({ length: 5 }, () => tree.send('w', { type: 'ping' }));
    expect(results).toEqual(['buffered', 'buffered', 'buffered', 'dead_lettered', 'dead_lettered']);
    expect(services.deadLetters.count).toBe(2);
    expect(services.deadLetters.latest().map((l) => l.reason)).toEqual(['restart_buffer_overflow', 'restart_buffer_overflow']);
    clock.increment(100);
    expect(pings(tree, 'w')).toBe(3);
  });

  it('sends to an unknown actor are dead letters, not silent drops', () => {
    const { tree, services } = buildTree({ children: [] });
    tree.start();
    expect(tree.send('nobody', { type: 'ping' })).toBe('unknown');
    expect(services.deadLetters.latest()).toMatchObject([{ systemId: 'nobody', reason: 'unknown_actor' }]);
  });

  it('backoff doubles per consecutive restart up to the maximum', () => {
    const { tree, clock } = buildTree({
      intensity: 10,
      periodMs: 60_000,
      backoff: { minMs: 100, maxMs: 350, jitter: 0 },
      children: [{ id: 'w', logic: workerMachine }],
    });
    tree.start();
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      tree.send('w', { type: 'crash' });
      let waited = 0;
      while (!tree.get('w')) {
        clock.increment(10);
        waited += 10;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([100, 200, 350, 350]);
  });

  it('backoff delays stay within min..max and the jitter band', () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (attempt, minMs, extra, jitter, random) => {
          const maxMs = minMs + extra;
          const delay = backoffDelay(attempt, { minMs, maxMs, jitter }, () => random);
          const base = Math.min(maxMs, minMs * 2 ** attempt);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - jitter)) - 1);
          expect(delay).toBeLessThanOrEqual(Math.ceil(base * (1 + jitter)) + 1);
        },
      ),
    );
  });
});
