import { describe, expect, it } from 'vitest';
import { buildTree, workerMachine } from './helpers.ts';

describe('supervision smoke', () => {
  it('starts children and restarts a crashed one', () => {
    const { tree } = buildTree({ strategy: 'one_for_one', intensity: 3, periodMs: 1000, children: [{ id: 'a', logic: workerMachine }, { id: 'b', logic: workerMachine }] });
    tree.start();
    expect(tree.describe().children.map((c) => c.status)).toEqual(['running', 'running']);
    const first = tree.get('a');
    tree.send('a', { type: 'crash' });
    const second = tree.get('a');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(tree.describe().children[0]!.restarts).toBe(1);
    tree.send('a', { type: 'ping' });
    expect((tree.get('a')!.getSnapshot() as any).context.pings).toBe(1);
  });
});
