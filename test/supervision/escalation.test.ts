import { fromCallback, fromPromise } from 'xstate';
import { describe, expect, it } from 'vitest';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import { buildTree, recorderMachine, workerMachine } from './helpers.ts';

describe('restart intensity and escalation', () => {
  it('a nested supervisor that exceeds its intensity stops its children in reverse order and escalates to its parent', () => {
    const log: string[] = [];
    const logic = recorderMachine(log);
    const escalations: string[] = [];
    const { tree } = buildTree({
      intensity: 2,
      periodMs: 1_000,
      children: [
        supervisor('inner', {
          intensity: 1,
          periodMs: 1_000,
          children: ['x', 'y', 'z'].map((id) => ({ id, logic, input: { name: id } })),
        }),
      ],
    });
    tree.services.hooks.escalated = (id) => escalations.push(id);
    tree.start();
    log.length = 0;
    tree.send('x', { type: 'crash' });
    expect(log).toEqual(['stop:x', 'start:x']);
    log.length = 0;
    tree.send('y', { type: 'crash' });
    // Second restart within the period: inner gives up, its parent restarts it with fresh children.
    expect(escalations).toEqual(['inner']);
    expect(log).toEqual(['stop:y', 'stop:z', 'stop:x', 'start:x', 'start:y', 'start:z']);
    const inner = tree.describe().children[0]!;
    expect(inner).toMatchObject({ systemId: 'inner', kind: 'supervisor', status: 'running', restarts: 1 });
    expect(inner.children.map((c) => [c.systemId, c.restarts])).toEqual([['x', 0], ['y', 0], ['z', 0]]);
  });

  it('the root escalating ends the tree with the escalation as its outcome', async () => {
    const { tree } = buildTree({ intensity: 0, children: [{ id: 'w', logic: workerMachine }] });
    tree.start();
    tree.send('w', { type: 'crash' });
    const outcome = await tree.outcome;
    expect(outcome.kind).toBe('escalated');
    expect(String((outcome as { error: unknown }).error)).toMatch(/gave up/);
  });

  it('restarts within the period count, older ones are forgotten', () => {
    const { tree, clock } = buildTree({ intensity: 1, periodMs: 1_000, children: [{ id: 'w', logic: workerMachine }] });
    tree.start();
    for (let i = 0; i < 5; i += 1) {
      tree.send('w', { type: 'crash' });
      clock.increment(1_001);
    }
    expect(tree.root.getSnapshot().status).toBe('active');
    expect(tree.describe().children[0]!.restarts).toBe(5);
  });
});

describe('containment of exceptions in actor code', () => {
  it('a callback actor that throws while starting is restarted, not fatal', () => {
    let attempts = 0;
    const flaky = fromCallback(() => {
      attempts += 1;
      if (attempts < 3) throw new Error('socket refused');
      return () => {};
    });
    const { tree } = buildTree({ intensity: 5, children: [{ id: 'io', logic: flaky }] });
    tree.start();
    expect(attempts).toBe(3);
    expect(tree.describe().children[0]).toMatchObject({ status: 'running', restarts: 2 });
  });

  it('a rejected promise actor is restarted', async () => {
    let attempts = 0;
    const fetcher = fromPromise(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('timeout');
      return new Promise<void>(() => {});
    });
    const { tree } = buildTree({ intensity: 5, children: [{ id: 'fetch', logic: fetcher }] });
    tree.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(attempts).toBe(2);
    expect(tree.describe().children[0]).toMatchObject({ status: 'running', restarts: 1 });
  });

  it("a crashed machine's invoked children are stopped, so their resources do not leak", () => {
    const log: string[] = [];
    const { tree } = buildTree({ intensity: 5, children: [{ id: 'r', logic: recorderMachine(log), input: { name: 'r' } }] });
    tree.start();
    tree.send('r', { type: 'crash' });
    expect(log).toEqual(['start:r', 'stop:r', 'start:r']);
  });
});
