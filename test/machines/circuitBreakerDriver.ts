import { createActor, SimulatedClock } from 'xstate';
import type { CircuitBreakerConfigInput } from '../../src/machines/circuitBreaker/config.ts';
import { breakerState, createCircuitBreakerMachine, isCallPermitted } from '../../src/machines/circuitBreaker/circuitBreakerMachine.ts';

/** A breaker actor on a simulated clock, driven the way the guarded-call wrapper drives it. */
export function driveBreaker(config: CircuitBreakerConfigInput) {
  const clock = new SimulatedClock();
  const actor = createActor(createCircuitBreakerMachine(config), { clock }).start();
  const finish = (type: 'call.succeeded' | 'call.failed', durationMs: number) =>
    actor.send({ type, durationMs, at: clock.now() });
  return {
    actor,
    clock,
    state: () => breakerState(actor.getSnapshot()),
    context: () => actor.getSnapshot().context,
    permitted: () => isCallPermitted(actor.getSnapshot()),
    /** Asks permission and, if granted, takes it; returns whether the call may run. */
    start(): boolean {
      if (!isCallPermitted(actor.getSnapshot())) {
        actor.send({ type: 'call.rejected' });
        return false;
      }
      actor.send({ type: 'call.started' });
      return true;
    },
    succeed: (durationMs = 1) => finish('call.succeeded', durationMs),
    fail: (durationMs = 1) => finish('call.failed', durationMs),
    /** Several calls, each permitted or not, finishing one after another: 's' ok, 'f' failed, 'S'/'F' slow. */
    calls(pattern: string, slowMs = 1_000_000) {
      for (const c of pattern) {
        if (c === ' ') continue;
        const slow = c === 'S' || c === 'F';
        finish(c.toLowerCase() === 'f' ? 'call.failed' : 'call.succeeded', slow ? slowMs : 1);
      }
    },
    advance: (ms: number) => clock.increment(ms),
  };
}
