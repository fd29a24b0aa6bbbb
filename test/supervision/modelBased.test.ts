import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTree, workerMachine } from './helpers';
import { advance, exitChild, initialModel, type ModelRestart, type ModelStrategy } from './otpModel';

type Command = { kind: 'crash' | 'exit'; index: number } | { kind: 'advance'; ms: number } | { kind: 'advancePeriod' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constantFrom('crash' as const, 'exit' as const), index: fc.nat(5) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3_000 }) }),
  // Exactly one period: the boundary where OTP still counts the oldest restart.
  fc.constant({ kind: 'advancePeriod' as const }),
);

const scenarioArb = fc.record({
  strategy: fc.constantFrom<ModelStrategy>('one_for_one', 'one_for_all', 'rest_for_one'),
  intensity: fc.integer({ min: 0, max: 4 }),
  periodMs: fc.integer({ min: 100, max: 5_000 }),
  restarts: fc.array(fc.constantFrom<ModelRestart>('permanent', 'transient', 'temporary'), { minLength: 1, maxLength: 6 }),
  commands: fc.array(commandArb, { maxLength: 40 }),
});

describe('supervision tree agrees with a plain model of OTP semantics', () => {
  it('for random crashes, normal exits and clock advances', () => {
    fc.assert(
      fc.property(scenarioArb, ({ strategy, intensity, periodMs, restarts, commands }) => {
        const specs = restarts.map((restart, i) => ({ id: `c${i}`, restart }));
        const model = initialModel(strategy, intensity, periodMs, specs);
        const { tree, clock } = buildTree({
          strategy,
          intensity,
          periodMs,
          children: specs.map((s) => ({ id: s.id, restart: s.restart, logic: workerMachine })),
        });
        tree.start();

        for (const command of commands) {
          if (command.kind === 'advance' || command.kind === 'advancePeriod') {
            const ms = command.kind === 'advance' ? command.ms : periodMs;
            advance(model, ms);
            clock.increment(ms);
            continue;
          }
          const target = model.children[command.index % model.children.length];
          if (!target || !target.running || model.escalated) continue;
          exitChild(model, target.id, command.kind === 'crash' ? 'error' : 'normal');
          tree.send(target.id, { type: command.kind === 'crash' ? 'crash' : 'finish' });

          const rootStatus = tree.root.getSnapshot().status;
          expect(rootStatus === 'error').toBe(model.escalated);
          if (model.escalated) break;
          const actual = tree.describe().children.map((c) => ({ id: c.systemId, running: c.status === 'running', restarts: c.restarts }));
          const expected = model.children.map((c) => ({ id: c.id, running: c.running, restarts: c.restarts }));
          expect(actual).toEqual(expected);
        }
        if (tree.root.getSnapshot().status === 'active') tree.forceStop();
      }),
      { numRuns: 300 },
    );
  });
});
