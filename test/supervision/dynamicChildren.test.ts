import { describe, expect, it } from 'vitest';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import { buildTree, gracefulMachine, recorderMachine } from './helpers.ts';

describe('children added and removed at run time (start_child / terminate_child)', () => {
  it('starts a child under a nested supervisor, supervises it like the others, and terminates it on request', async () => {
    const log: string[] = [];
    const { tree, clock } = buildTree({ children: [supervisor('orders', { intensity: 5, children: [] })] });
    tree.start();
    tree.startChild('orders', { id: 'order-1', logic: recorderMachine(log), input: { name: 'order-1' }, restart: 'transient' });
    expect(log).toEqual(['start:order-1']);
    expect(tree.describe().children[0]!.children.map((c) => c.systemId)).toEqual(['order-1']);
    tree.send('order-1', { type: 'crash' });
    expect(log).toEqual(['start:order-1', 'stop:order-1', 'start:order-1']);
    tree.startChild('orders', { id: 'order-1', logic: recorderMachine(log), input: { name: 'dup' } });
    expect(log.filter((l) => l === 'start:dup')).toEqual([]);

    tree.startChild('orders', { id: 'order-2', logic: gracefulMachine(log, 100), input: { name: 'order-2' }, shutdown: 1_000 });
    tree.terminateChild('orders', 'order-2');
    expect(log.at(-1)).toBe('draining:order-2');
    clock.increment(100);
    expect(tree.describe().children[0]!.children.map((c) => c.systemId)).toEqual(['order-1']);
    // A transient child added at run time is forgotten once it finishes (simple_one_for_one).
    tree.send('order-1', { type: 'finish' });
    expect(tree.describe().children[0]!.children).toEqual([]);
  });
});
