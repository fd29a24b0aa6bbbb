import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driveBreaker } from './circuitBreakerDriver.ts';
import { CircuitBreakerModel, type ModelConfig } from './circuitBreakerModel.ts';

type Manual = 'FORCE_OPEN' | 'DISABLE' | 'RESET' | 'TRANSITION_TO_CLOSED' | 'TRANSITION_TO_OPEN' | 'TRANSITION_TO_HALF_OPEN';

type Command =
  | { kind: 'attempt' }
  /** Fails when `roll` is below the downstream's current failure percent. */
  | { kind: 'finish'; roll: number; durationMs: number }
  /** The downstream gets healthier or sicker, so histories both trip and recover. */
  | { kind: 'health'; failurePercent: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'manual'; event: Manual };

const percent = fc.oneof(fc.constantFrom(1, 25, 50, 100), fc.integer({ min: 1, max: 100 }));

const configArb: fc.Arbitrary<ModelConfig> = fc.record({
  failureRateThreshold: percent,
  slowCallRateThreshold: percent,
  slowCallDurationThresholdMs: fc.integer({ min: 50, max: 1_000 }),
  permittedNumberOfCallsInHalfOpenState: fc.integer({ min: 1, max: 4 }),
  slidingWindowType: fc.constantFrom('COUNT_BASED' as const, 'TIME_BASED' as const),
  slidingWindowSize: fc.integer({ min: 1, max: 6 }),
  minimumNumberOfCalls: fc.integer({ min: 1, max: 8 }),
  waitDurationInOpenStateMs: fc.integer({ min: 1, max: 5_000 }),
  maxWaitDurationInHalfOpenStateMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
});

const failurePercentArb = fc.oneof(fc.constantFrom(0, 10, 50, 90, 100), fc.integer({ min: 0, max: 100 }));
const healthArb = fc.record({ kind: fc.constant('health' as const), failurePercent: failurePercentArb });

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'attempt' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('finish' as const),
      roll: fc.integer({ min: 0, max: 99 }),
      // Mostly fast, sometimes anywhere around the slow-call threshold (including on it).
      durationMs: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 50 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 1_500 }) },
      ),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 6_000 }) }) },
  { weight: 1, arbitrary: healthArb },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('manual' as const),
      event: fc.constantFrom<Manual>('FORCE_OPEN', 'DISABLE', 'RESET', 'TRANSITION_TO_CLOSED', 'TRANSITION_TO_OPEN', 'TRANSITION_TO_HALF_OPEN'),
    }),
  },
);

function applyManual(model: CircuitBreakerModel, event: Manual): void {
  const transitions: Record<Manual, () => void> = {
    FORCE_OPEN: () => model.toForcedOpen(),
    DISABLE: () => model.toDisabled(),
    RESET: () => model.reset(),
    TRANSITION_TO_CLOSED: () => model.toClosed(),
    TRANSITION_TO_OPEN: () => model.toOpen(),
    TRANSITION_TO_HALF_OPEN: () => model.toHalfOpen(),
  };
  transitions[event]();
}

function run(config: ModelConfig, initialFailurePercent: number, commands: Command[]): void {
  const breaker = driveBreaker(config);
  const model = new CircuitBreakerModel(config);
  let currentFailurePercent = initialFailurePercent;

  const agree = (step: string) => {
    const context = breaker.context();
    expect({ step, state: breaker.state(), permitted: breaker.permitted() }).toEqual({
      step,
      state: model.state,
      permitted: model.wouldPermit(),
    });
    expect({
      step,
      bufferedCalls: context.bufferedCalls,
      successful: context.successful,
      failed: context.failed,
      slow: context.slow,
      failureRate: context.failureRate,
      slowCallRate: context.slowCallRate,
      notPermitted: context.notPermitted,
      callsInHalfOpen: context.callsInHalfOpen,
    }).toEqual({ step, ...model.observe() });
  };

  agree('initial');
  commands.forEach((command, index) => {
    const step = `#${index} ${JSON.stringify(command)}`;
    switch (command.kind) {
      case 'attempt':
        expect(breaker.start(), step).toBe(model.tryAcquirePermission());
        break;
      case 'finish': {
        const failed = command.roll < currentFailurePercent;
        if (failed) breaker.fail(command.durationMs);
        else breaker.succeed(command.durationMs);
        model.onResult(failed, command.durationMs);
        break;
      }
      case 'advance': {
        // Stop the simulated clock on each deadline, so a timer started by a transition
        // starts at the deadline, as it would in real time.
        const target = breaker.clock.now() + command.ms;
        for (let deadline = model.nextDeadline(); deadline !== null && deadline <= target; deadline = model.nextDeadline()) {
          breaker.advance(deadline - breaker.clock.now());
          model.advanceTo(deadline);
          agree(`${step} at deadline ${deadline}`);
        }
        breaker.advance(target - breaker.clock.now());
        model.advanceTo(target);
        break;
      }
      case 'health':
        currentFailurePercent = command.failurePercent;
        break;
      case 'manual':
        breaker.actor.send({ type: command.event });
        applyManual(model, command.event);
        break;
    }
    agree(step);
  });
}

describe('circuit breaker machine against a plain resilience4j model', () => {
  it('agrees on state, permission and metrics after every step, for random configs and histories', () => {
    fc.assert(
      fc.property(configArb, failurePercentArb, fc.array(commandArb, { minLength: 10, maxLength: 150 }), run),
      { numRuns: 400 },
    );
  });

  it('agrees on long histories of a downstream that fails and recovers, cycling through open and halfOpen', () => {
    const cycling = fc.oneof(
      { weight: 3, arbitrary: fc.constant<Command>({ kind: 'attempt' }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('finish' as const), roll: fc.integer({ min: 0, max: 99 }), durationMs: fc.constant(1) }) },
      { weight: 1, arbitrary: fc.constant<Command>({ kind: 'advance', ms: 5_000 }) },
      { weight: 1, arbitrary: healthArb },
    );
    fc.assert(
      fc.property(configArb, failurePercentArb, fc.array(cycling, { minLength: 50, maxLength: 300 }), run),
      { numRuns: 100 },
    );
  });
});
