import { describe, expect, it } from 'vitest';
import type { ActorFeedEvent, ActorNode } from '../../src/admin/runtimeView.ts';
import type { Every } from '../../src/events/index.ts';
import { ActorFeed } from '../../src/runtime/actorFeed.ts';
import type { SupervisionChange } from '../../src/runtime/nodeTree.ts';

const node = (state: unknown, restarts = 0): ActorNode => ({
  systemId: 'root',
  kind: 'supervisor',
  state: null,
  status: 'running',
  restarts: 0,
  startedAt: null,
  children: [{ systemId: 'worker', kind: 'machine', state, status: 'running', restarts, startedAt: null, children: [] }],
});

/** A feed over a tree the test sets, supervision the test tells, and a coalescing timer the test ticks. */
function harness() {
  let tree = node('idle');
  const supervision = new Set<(change: SupervisionChange) => void>();
  const ticks = new Set<() => void>();
  const every: Every = (tick) => {
    ticks.add(tick);
    return () => ticks.delete(tick);
  };
  const feed = new ActorFeed({
    tree: () => tree,
    onSupervision: (listener) => {
      supervision.add(listener);
      return () => supervision.delete(listener);
    },
    every,
  });
  return {
    feed,
    ticks,
    supervision,
    setTree: (next: ActorNode) => void (tree = next),
    tick: () => ticks.forEach((tick) => tick()),
    tell: (change: SupervisionChange) => supervision.forEach((listener) => listener(change)),
  };
}

describe('ActorFeed', () => {
  it('sends the tree once per interval however many changes came in between, and nothing while it is unchanged', () => {
    const world = harness();
    const heard: ActorFeedEvent[] = [];
    world.feed.subscribe((event) => heard.push(event));
    world.tick();
    expect(heard).toEqual([]);
    world.setTree(node('working'));
    world.setTree(node('done'));
    world.tick();
    world.tick();
    expect(heard).toEqual([{ type: 'tree', tree: node('done') }]);
    world.setTree(node('idle', 1));
    world.tick();
    expect(heard.map((event) => (event.type === 'tree' ? event.tree.children[0]!.restarts : null))).toEqual([0, 1]);
  });

  it('tells each supervision event at once, with its supervisor', () => {
    const world = harness();
    const heard: ActorFeedEvent[] = [];
    world.feed.subscribe((event) => heard.push(event));
    world.tell({ kind: 'restart', supervisorId: 'root', systemId: 'worker' });
    world.tell({ kind: 'stopped', supervisorId: 'root', systemId: 'worker', reason: 'error' });
    world.tell({ kind: 'escalation', supervisorId: 'orders', systemId: 'orders' });
    expect(heard).toEqual([
      { type: 'supervision', event: { kind: 'restart', systemId: 'worker', at: expect.any(String), detail: 'under root' } },
      { type: 'supervision', event: { kind: 'stopped', systemId: 'worker', at: expect.any(String), detail: 'under root: failed' } },
      { type: 'supervision', event: { kind: 'escalation', systemId: 'orders', at: expect.any(String), detail: 'restart intensity exceeded' } },
    ]);
  });

  it('runs nothing without a listener: the timer and the supervision subscription start with the first and stop with the last', () => {
    const world = harness();
    expect([world.ticks.size, world.supervision.size]).toEqual([0, 0]);
    const first = world.feed.subscribe(() => undefined);
    const heard: ActorFeedEvent[] = [];
    const second = world.feed.subscribe((event) => heard.push(event));
    expect([world.ticks.size, world.supervision.size]).toEqual([1, 1]);
    first();
    world.setTree(node('working'));
    world.tick();
    expect(heard).toHaveLength(1);
    second();
    expect([world.ticks.size, world.supervision.size]).toEqual([0, 0]);
  });
});
