import { describe, expect, it } from 'vitest';
import { buildTree, gracefulMachine, recorderMachine } from './helpers.ts';

describe('shutdown', () => {
  it('a graceful tree stop stops children in reverse start order and completes', async () => {
    const log: string[] = [];
    const logic = recorderMachine(log);
    const { tree } = buildTree({ children: ['a', 'b', 'c'].map((id) => ({ id, logic, input: { name: id } })) });
    tree.start();
    log.length = 0;
    await expect(tree.stop()).resolves.toEqual({ kind: 'stopped' });
    expect(log).toEqual(['stop:c', 'stop:b', 'stop:a']);
    expect(tree.root.getSnapshot().status).toBe('done');
  });

  it('waits for a child that drains within its shutdown timeout, one child at a time', async () => {
    const log: string[] = [];
    const { tree, clock } = buildTree({
      children: [
        { id: 'first', logic: gracefulMachine(log, 100), input: { name: 'first' }, shutdown: 1_000 },
        { id: 'second', logic: gracefulMachine(log, 100), input: { name: 'second' }, shutdown: 1_000 },
      ],
    });
    tree.start();
    const stopped = tree.stop();
    expect(log).toEqual(['draining:second']);
    clock.increment(100);
    expect(log).toEqual(['draining:second', 'drained:second', 'draining:first']);
    clock.increment(100);
    await expect(stopped).resolves.toEqual({ kind: 'stopped' });
    expect(log).toEqual(['draining:second', 'drained:second', 'draining:first', 'drained:first']);
  });

  it('force-stops a child that overruns its shutdown timeout and reports the overrun', async () => {
    const log: string[] = [];
    const overruns: string[] = [];
    const { tree, clock, services } = buildTree({
      children: [{ id: 'slow', logic: gracefulMachine(log, 5_000), input: { name: 'slow' }, shutdown: 200 }],
    });
    services.hooks.shutdownOverrun = (_sup, child) => overruns.push(child);
    tree.start();
    const stopped = tree.stop();
    clock.increment(199);
    expect(overruns).toEqual([]);
    clock.increment(1);
    await expect(stopped).resolves.toEqual({ kind: 'stopped' });
    expect(overruns).toEqual(['slow']);
    expect(log).toEqual(['draining:slow']);
  });

  it('brutal shutdown stops at once even when the child would drain', async () => {
    const log: string[] = [];
    const { tree } = buildTree({
      children: [{ id: 'b', logic: gracefulMachine(log, 5_000), input: { name: 'b' }, shutdown: 'brutal' }],
    });
    tree.start();
    await expect(tree.stop()).resolves.toEqual({ kind: 'stopped' });
    expect(log).toEqual([]);
  });

  it('one_for_all waits for a graceful sibling before restarting everyone', () => {
    const log: string[] = [];
    const recorder = recorderMachine(log);
    const { tree, clock } = buildTree({
      strategy: 'one_for_all',
      intensity: 3,
      children: [
        { id: 'drainer', logic: gracefulMachine(log, 50), input: { name: 'drainer' }, shutdown: 1_000 },
        { id: 'worker', logic: recorder, input: { name: 'worker' } },
      ],
    });
    tree.start();
    log.length = 0;
    tree.send('worker', { type: 'crash' });
    expect(log).toEqual(['stop:worker', 'draining:drainer']);
    expect(tree.rootSnapshot().value).toBe('restarting');
    // Messages sent meanwhile are held for the new incarnation.
    expect(tree.send('worker', { type: 'ping' })).toBe('buffered');
    clock.increment(50);
    expect(log).toEqual(['stop:worker', 'draining:drainer', 'drained:drainer', 'start:worker']);
    expect(tree.rootSnapshot().value).toBe('running');
    expect(tree.describe().children.map((c) => c.restarts)).toEqual([1, 1]);
  });
});
