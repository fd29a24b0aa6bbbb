import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChildSpec, SupervisorOptions } from '../../src/supervision/childSpec.ts';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import type { ActorNode } from '../../src/admin/runtimeView.ts';
import { buildTree, workerMachine } from './helpers.ts';
import {
  advance,
  exitWorker,
  initialModel,
  observe,
  runningWorkers,
  type ChildShape,
  type ModelRestart,
  type ModelStrategy,
  type ObservedNode,
  type SupervisorShape,
} from './otpModel.ts';

type Command = { kind: 'crash' | 'exit'; index: number } | { kind: 'advance'; ms: number } | { kind: 'advancePeriod' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('crash' as const, 'exit' as const), index: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3_000 }) }) },
  // Exactly one period: the boundary where OTP still counts the oldest restart.
  { weight: 1, arbitrary: fc.constant({ kind: 'advancePeriod' as const }) },
);

const policyArb = fc.record({
  strategy: fc.constantFrom<ModelStrategy>('one_for_one', 'one_for_all', 'rest_for_one'),
  intensity: fc.integer({ min: 0, max: 4 }),
  periodMs: fc.integer({ min: 100, max: 5_000 }),
});
const restartArb = fc.constantFrom<ModelRestart>('permanent', 'transient', 'temporary');

/** A root with 1-5 children, any of which may be a nested supervisor of 1-3 workers. */
const shapeArb: fc.Arbitrary<SupervisorShape> = fc
  .record({
    policy: policyArb,
    children: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('worker' as const), restart: restartArb }) },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('supervisor' as const),
            restart: restartArb,
            policy: policyArb,
            workers: fc.array(restartArb, { minLength: 1, maxLength: 3 }),
          }),
        },
      ),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ policy, children }) => ({
    ...policy,
    children: children.map((c, i): ChildShape =>
      c.kind === 'worker'
        ? { id: `c${i}`, restart: c.restart, kind: 'worker' }
        : {
            id: `s${i}`,
            restart: c.restart,
            kind: 'supervisor',
            shape: { ...c.policy, children: c.workers.map((restart, j) => ({ id: `s${i}w${j}`, restart, kind: 'worker' as const })) },
          },
    ),
  }));

function toOptions(shape: SupervisorShape): SupervisorOptions {
  return {
    strategy: shape.strategy,
    intensity: shape.intensity,
    periodMs: shape.periodMs,
    children: shape.children.map(
      (c): ChildSpec =>
        c.kind === 'worker'
          ? { id: c.id, restart: c.restart, logic: workerMachine }
          : supervisor(c.id, toOptions(c.shape), { restart: c.restart }),
    ),
  };
}

function observeReal(nodes: ActorNode[]): ObservedNode[] {
  return nodes.map((n) => ({ id: n.systemId, running: n.status === 'running', restarts: n.restarts, children: observeReal(n.children) }));
}

describe('supervision tree agrees with a plain model of OTP semantics', () => {
  it('for random nested trees under random crashes, normal exits and clock advances', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(commandArb, { maxLength: 40 }), (shape, commands) => {
        const model = initialModel(shape);
        const { tree, clock } = buildTree(toOptions(shape));
        tree.start();
        expect(observeReal(tree.describe().children)).toEqual(observe(model.root));

        for (const command of commands) {
          if (command.kind === 'advance' || command.kind === 'advancePeriod') {
            const ms = command.kind === 'advance' ? command.ms : shape.periodMs;
            advance(model, ms);
            clock.increment(ms);
            continue;
          }
          const workers = runningWorkers(model);
          if (workers.length === 0) continue;
          const target = workers[command.index % workers.length]!;
          exitWorker(model, target.path, target.id, command.kind === 'crash' ? 'error' : 'normal');
          tree.send(target.id, { type: command.kind === 'crash' ? 'crash' : 'finish' });

          expect(tree.root.getSnapshot().status === 'error').toBe(model.escalated);
          if (model.escalated) break;
          expect(observeReal(tree.describe().children)).toEqual(observe(model.root));
        }
        if (tree.root.getSnapshot().status === 'active') tree.forceStop();
      }),
      { numRuns: 400 },
    );
  });
});
