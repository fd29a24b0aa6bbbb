import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { CallNotPermittedError, CircuitBreaker, guardedCall } from '../../src/actors/circuitBreaker.ts';
import type { CircuitBreakerConfigInput } from '../../src/machines/circuitBreaker/config.ts';
import { createCircuitBreakerMachine } from '../../src/machines/circuitBreaker/circuitBreakerMachine.ts';

const config: CircuitBreakerConfigInput = {
  name: 'ib-connect',
  slidingWindowSize: 2,
  minimumNumberOfCalls: 2,
  permittedNumberOfCallsInHalfOpenState: 2,
  waitDurationInOpenStateMs: 30_000,
  slowCallDurationThresholdMs: 5_000,
  slowCallRateThreshold: 100,
};

function setup(overrides: CircuitBreakerConfigInput = {}) {
  const clock = new SimulatedClock();
  const ref = createActor(createCircuitBreakerMachine({ ...config, ...overrides }), { clock }).start();
  const breaker = new CircuitBreaker(ref, { now: () => clock.now() });
  return { clock, ref, breaker, context: () => ref.getSnapshot().context };
}

/** A call that finishes when the test says so, after simulated time has passed. */
function pendingCall<T>() {
  let settle!: { resolve: (value: T) => void; reject: (error: unknown) => void };
  const promise = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return { fn: () => promise, ...settle };
}

const boom = new Error('gateway refused');

describe('guarded calls through a circuit breaker', () => {
  it('runs a permitted call, returns its value and records a success', async () => {
    const { breaker, context } = setup();
    await expect(breaker.execute(() => 'connected')).resolves.toBe('connected');
    expect(context()).toMatchObject({ successful: 1, failed: 0 });
  });

  it('rethrows the call’s own error and records a failure', async () => {
    const { breaker, context } = setup();
    await expect(breaker.execute(() => Promise.reject(boom))).rejects.toBe(boom);
    await expect(
      breaker.execute(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(context()).toMatchObject({ failed: 2 });
    expect(breaker.state).toBe('open');
  });

  it('refuses without calling when not permitted, naming the breaker and its state', async () => {
    const { breaker, context } = setup();
    breaker.ref.send({ type: 'FORCE_OPEN' });
    let called = false;
    const refused = breaker.execute(() => {
      called = true;
    });
    await expect(refused).rejects.toBeInstanceOf(CallNotPermittedError);
    await expect(refused).rejects.toMatchObject({ breakerName: 'ib-connect', state: 'forcedOpen' });
    await expect(refused).rejects.toThrow("circuit breaker 'ib-connect' is forcedOpen and does not permit calls");
    expect(called).toBe(false);
    expect(context()).toMatchObject({ notPermitted: 1, bufferedCalls: 0 });
  });

  it('times each call and lets the breaker classify slow ones (strictly over the threshold)', async () => {
    const { clock, breaker, context } = setup({ slidingWindowSize: 3, minimumNumberOfCalls: 3 });
    const atThreshold = pendingCall<void>();
    const running = breaker.execute(atThreshold.fn);
    clock.increment(5_000);
    atThreshold.resolve();
    await running;
    expect(context().slow).toBe(0);

    const overThreshold = pendingCall<void>();
    const slow = breaker.execute(overThreshold.fn);
    clock.increment(5_001);
    overThreshold.reject(boom);
    await expect(slow).rejects.toBe(boom);
    expect(context()).toMatchObject({ slow: 1, failed: 1, successful: 1 });
  });

  it('holds halfOpen to its permitted calls while they are in flight', async () => {
    const { clock, breaker, ref } = setup();
    ref.send({ type: 'TRANSITION_TO_OPEN' });
    clock.increment(30_000);
    expect(breaker.state).toBe('halfOpen');
    const first = pendingCall<string>();
    const second = pendingCall<string>();
    const running = [breaker.execute(first.fn), breaker.execute(second.fn)];
    await expect(breaker.execute(() => 'third')).rejects.toMatchObject({ state: 'halfOpen' });
    first.resolve('a');
    second.resolve('b');
    await expect(Promise.all(running)).resolves.toEqual(['a', 'b']);
    expect(breaker.state).toBe('closed');
  });

  it('records errors that are not failures as successes, and still rethrows them', async () => {
    const clock = new SimulatedClock();
    const ref = createActor(createCircuitBreakerMachine(config), { clock }).start();
    const notOurFault = new RangeError('order size out of range');
    const isFailure = (error: unknown) => !(error instanceof RangeError);
    await expect(guardedCall(ref, () => Promise.reject(notOurFault), { now: () => clock.now(), isFailure })).rejects.toBe(notOurFault);
    await expect(guardedCall(ref, () => Promise.reject(boom), { now: () => clock.now(), isFailure })).rejects.toBe(boom);
    expect(ref.getSnapshot().context).toMatchObject({ successful: 1, failed: 1 });
  });

  it('reports completion times so a time-based window forgets old calls', async () => {
    const { clock, breaker, context } = setup({ slidingWindowType: 'TIME_BASED', slidingWindowSize: 10, minimumNumberOfCalls: 5 });
    await expect(breaker.execute(() => Promise.reject(boom))).rejects.toBe(boom);
    clock.increment(10_000);
    await breaker.execute(() => 'ok');
    expect(context()).toMatchObject({ bufferedCalls: 1, failed: 0 });
  });

  it('exposes name, state and permission without taking a permit', () => {
    const { breaker, ref } = setup();
    ref.send({ type: 'TRANSITION_TO_HALF_OPEN' });
    expect([breaker.name, breaker.state, breaker.isCallPermitted]).toEqual(['ib-connect', 'halfOpen', true]);
    expect(ref.getSnapshot().context.callsInHalfOpen).toBe(0);
  });
});
