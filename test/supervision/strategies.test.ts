import { describe, expect, it } from 'vitest';
import type { Strategy } from '../../src/supervision/childSpec.ts';
import { buildTree, recorderMachine } from './helpers.ts';

function threeChildren(strategy: Strategy) {
  const log: string[] = [];
  const logic = recorderMachine(log);
  const { tree } = buildTree({
    strategy,
    intensity: 5,
    periodMs: 1_000,
    children: ['a', 'b', 'c'].map((id) => ({ id, logic, input: { name: id } })),
  });
  tree.start();
  log.length = 0;
  return { tree, log };
}

describe('restart strategies', () => {
  it('starts children in order', () => {
    const log: string[] = [];
    const logic = recorderMachine(log);
    const { tree } = buildTree({ children: ['a', 'b', 'c'].map((id) => ({ id, logic, input: { name: id } })) });
    tree.start();
    expect(log).toEqual(['start:a', 'start:b', 'start:c']);
  });

  it('one_for_one restarts only the failed child', () => {
    const { tree, log } = threeChildren('one_for_one');
    const [a, c] = [tree.get('a'), tree.get('c')];
    tree.send('b', { type: 'crash' });
    expect(log).toEqual(['stop:b', 'start:b']);
    expect(tree.get('a')).toBe(a);
    expect(tree.get('c')).toBe(c);
    expect(tree.describe().children.map((n) => n.restarts)).toEqual([0, 1, 0]);
  });

  it('one_for_all stops the others in reverse order, then starts all in order', () => {
    const { tree, log } = threeChildren('one_for_all');
    tree.send('b', { type: 'crash' });
    expect(log).toEqual(['stop:b', 'stop:c', 'stop:a', 'start:a', 'start:b', 'start:c']);
    expect(tree.describe().children.map((n) => n.restarts)).toEqual([1, 1, 1]);
  });

  it('rest_for_one restarts the failed child and those started after it', () => {
    const { tree, log } = threeChildren('rest_for_one');
    const a = tree.get('a');
    tree.send('b', { type: 'crash' });
    expect(log).toEqual(['stop:b', 'stop:c', 'start:b', 'start:c']);
    expect(tree.get('a')).toBe(a);
    expect(tree.describe().children.map((n) => n.restarts)).toEqual([0, 1, 1]);
  });
});

describe('restart types', () => {
  function single(restart: 'permanent' | 'transient' | 'temporary') {
    const log: string[] = [];
    const { tree } = buildTree({ intensity: 5, children: [{ id: 'x', restart, logic: recorderMachine(log), input: { name: 'x' } }] });
    tree.start();
    return { tree, log };
  }

  it('permanent: restarted after a crash and after a normal exit', () => {
    const { tree } = single('permanent');
    tree.send('x', { type: 'crash' });
    tree.send('x', { type: 'finish' });
    expect(tree.describe().children[0]).toMatchObject({ status: 'running', restarts: 2 });
  });

  it('transient: restarted after a crash, not after a normal exit', () => {
    const { tree } = single('transient');
    tree.send('x', { type: 'crash' });
    expect(tree.describe().children[0]).toMatchObject({ status: 'running', restarts: 1 });
    tree.send('x', { type: 'finish' });
    expect(tree.describe().children[0]).toMatchObject({ status: 'stopped', restarts: 1 });
    expect(tree.get('x')).toBeUndefined();
  });

  it('temporary: never restarted, and forgotten once it exits', () => {
    const { tree } = single('temporary');
    tree.send('x', { type: 'crash' });
    expect(tree.describe().children).toEqual([]);
    expect(tree.send('x', { type: 'ping' })).toBe('unknown');
  });

  it('a transient child that finished is not counted against readiness, a permanent one that is down is', () => {
    const log: string[] = [];
    const logic = recorderMachine(log);
    const { tree } = buildTree({
      intensity: 0,
      children: [
        { id: 'job', restart: 'transient', logic, input: { name: 'job' } },
        { id: 'svc', restart: 'permanent', logic, input: { name: 'svc' } },
      ],
    });
    tree.start();
    expect(tree.readiness()).toEqual({ ready: true, reasons: [] });
    tree.send('job', { type: 'finish' });
    expect(tree.readiness().ready).toBe(true);
    tree.send('svc', { type: 'crash' });
    expect(tree.readiness().ready).toBe(false);
  });
});
