import { describe, expect, it } from 'vitest';
import { machineCatalog } from '../../src/machines/catalog.ts';
import { machineGraph } from '../../src/machines/machineGraph.ts';
import { driveBreaker } from './circuitBreakerDriver.ts';

const small = {
  failureRateThreshold: 50,
  slidingWindowSize: 4,
  minimumNumberOfCalls: 4,
  permittedNumberOfCallsInHalfOpenState: 2,
  waitDurationInOpenStateMs: 10_000,
  slowCallDurationThresholdMs: 1_000,
} as const;

describe('circuit breaker: closed', () => {
  it('starts closed, permits calls and reports rates as -1 until the minimum number of calls', () => {
    const breaker = driveBreaker(small);
    expect(breaker.state()).toBe('closed');
    expect(breaker.permitted()).toBe(true);
    breaker.calls('fff');
    expect(breaker.state()).toBe('closed');
    expect(breaker.context()).toMatchObject({ failed: 3, successful: 0, bufferedCalls: 3, failureRate: -1 });
  });

  it('opens when the failure rate reaches the threshold exactly (>=)', () => {
    const breaker = driveBreaker(small);
    breaker.calls('sfs');
    breaker.fail();
    expect(breaker.state()).toBe('open');
    expect(breaker.context()).toMatchObject({ failed: 2, successful: 2, failureRate: 50 });
  });

  it('stays closed while the failure rate is below the threshold', () => {
    const breaker = driveBreaker({ ...small, slidingWindowSize: 5, minimumNumberOfCalls: 5, failureRateThreshold: 50 });
    breaker.calls('sfsfs');
    expect(breaker.state()).toBe('closed');
    expect(breaker.context().failureRate).toBe(40);
  });

  it('caps the minimum number of calls at the size of a count window', () => {
    const breaker = driveBreaker({ ...small, slidingWindowSize: 3, minimumNumberOfCalls: 100 });
    breaker.calls('sf');
    expect(breaker.state()).toBe('closed');
    breaker.fail();
    expect(breaker.state()).toBe('open');
  });

  it('judges only the last N calls of a count window', () => {
    const breaker = driveBreaker({ ...small, failureRateThreshold: 75 });
    breaker.calls('ffss');
    expect(breaker.context().failureRate).toBe(50);
    breaker.calls('ss'); // evicts both failures
    expect(breaker.context()).toMatchObject({ failed: 0, successful: 4, failureRate: 0 });
    breaker.calls('fff');
    expect(breaker.state()).toBe('open');
  });

  it('counts calls strictly longer than the slow-call threshold as slow, failed or not', () => {
    const breaker = driveBreaker({ ...small, slowCallRateThreshold: 100, failureRateThreshold: 100 });
    breaker.succeed(1_000);
    breaker.succeed(1_001);
    breaker.fail(5_000);
    expect(breaker.context().slow).toBe(2);
    expect(breaker.state()).toBe('closed');
  });

  it('opens on the slow-call rate even when every call succeeds', () => {
    const breaker = driveBreaker({ ...small, slowCallRateThreshold: 75 });
    breaker.calls('SSs');
    expect(breaker.state()).toBe('closed');
    breaker.calls('S');
    expect(breaker.state()).toBe('open');
    expect(breaker.context()).toMatchObject({ slow: 3, failed: 0, slowCallRate: 75 });
  });
});

describe('circuit breaker: time-based window', () => {
  const timed = { ...small, slidingWindowType: 'TIME_BASED', slidingWindowSize: 10, minimumNumberOfCalls: 4 } as const;

  it('forgets calls older than the window in whole seconds', () => {
    const breaker = driveBreaker(timed);
    breaker.calls('ff'); // second 0
    breaker.advance(9_999);
    breaker.calls('s'); // second 9: both failures still in the window
    expect(breaker.context()).toMatchObject({ bufferedCalls: 3, failed: 2 });
    breaker.advance(1);
    breaker.calls('s'); // second 10: second 0 has left the window
    expect(breaker.context()).toMatchObject({ bufferedCalls: 2, failed: 0 });
    expect(breaker.state()).toBe('closed');
  });

  it('does not cap the minimum number of calls at the window size', () => {
    const breaker = driveBreaker({ ...timed, slidingWindowSize: 2, minimumNumberOfCalls: 5 });
    breaker.calls('ffff');
    expect(breaker.state()).toBe('closed');
    breaker.fail();
    expect(breaker.state()).toBe('open');
  });

  it('opens on calls spread over the window', () => {
    const breaker = driveBreaker(timed);
    for (const outcome of 'sfff') {
      breaker.calls(outcome);
      breaker.advance(2_000);
    }
    expect(breaker.state()).toBe('open');
  });
});

describe('circuit breaker: open', () => {
  it('refuses calls, counting them without recording them, until the wait is over', () => {
    const breaker = driveBreaker(small);
    breaker.calls('ffff');
    expect(breaker.state()).toBe('open');
    expect(breaker.start()).toBe(false);
    expect(breaker.start()).toBe(false);
    expect(breaker.context()).toMatchObject({ notPermitted: 2, bufferedCalls: 4 });
    breaker.advance(9_999);
    expect(breaker.state()).toBe('open');
    breaker.advance(1);
    expect(breaker.state()).toBe('halfOpen');
    expect(breaker.permitted()).toBe(true);
  });

  it('keeps the window that tripped it, and records late results without re-judging', () => {
    const breaker = driveBreaker(small);
    breaker.calls('ffff');
    breaker.calls('ss'); // calls permitted while closed, finishing late
    expect(breaker.state()).toBe('open');
    expect(breaker.context()).toMatchObject({ failed: 2, successful: 2, failureRate: 50 });
  });
});

describe('circuit breaker: halfOpen', () => {
  function halfOpen(config: Parameters<typeof driveBreaker>[0] = small) {
    const breaker = driveBreaker(config);
    breaker.calls('ffff');
    breaker.advance(config.waitDurationInOpenStateMs ?? 60_000);
    expect(breaker.state()).toBe('halfOpen');
    return breaker;
  }

  it('permits only the configured number of calls', () => {
    const breaker = halfOpen();
    expect(breaker.context()).toMatchObject({ callsInHalfOpen: 0, bufferedCalls: 0, notPermitted: 0 });
    expect(breaker.start()).toBe(true);
    expect(breaker.start()).toBe(true);
    expect(breaker.permitted()).toBe(false);
    expect(breaker.start()).toBe(false);
    expect(breaker.context()).toMatchObject({ callsInHalfOpen: 2, notPermitted: 1 });
  });

  it('closes, with a fresh window, when the permitted calls complete below the thresholds', () => {
    const breaker = halfOpen();
    breaker.start();
    breaker.start();
    breaker.succeed();
    expect(breaker.state()).toBe('halfOpen');
    breaker.succeed();
    expect(breaker.state()).toBe('closed');
    expect(breaker.context()).toMatchObject({ bufferedCalls: 0, callsInHalfOpen: 0, notPermitted: 0 });
  });

  it('opens again when the permitted calls complete at or above a threshold', () => {
    const breaker = halfOpen();
    breaker.start();
    breaker.start();
    breaker.succeed();
    breaker.fail();
    expect(breaker.state()).toBe('open');
    expect(breaker.permitted()).toBe(false);
    breaker.advance(10_000);
    expect(breaker.state()).toBe('halfOpen');
  });

  it('opens again on slow calls', () => {
    const breaker = halfOpen({ ...small, slowCallRateThreshold: 50 });
    breaker.start();
    breaker.start();
    breaker.succeed(1);
    breaker.succeed(2_000);
    expect(breaker.state()).toBe('open');
  });

  it('judges as soon as minimumNumberOfCalls results are in when that is below the permitted calls (resilience4j)', () => {
    const breaker = halfOpen({ ...small, minimumNumberOfCalls: 2, permittedNumberOfCallsInHalfOpenState: 3 });
    breaker.start();
    breaker.start();
    breaker.succeed();
    breaker.succeed();
    expect(breaker.state()).toBe('closed');
  });

  it('uses a count window of the permitted calls even when closed uses a time window', () => {
    const breaker = halfOpen({ ...small, slidingWindowType: 'TIME_BASED', slidingWindowSize: 60, minimumNumberOfCalls: 4 });
    breaker.start();
    breaker.start();
    breaker.fail();
    breaker.fail();
    expect(breaker.state()).toBe('open');
  });

  it('waits forever for the permitted calls by default', () => {
    const breaker = halfOpen();
    breaker.start();
    breaker.advance(24 * 3_600_000);
    expect(breaker.state()).toBe('halfOpen');
  });

  it('gives up and opens after maxWaitDurationInHalfOpenStateMs', () => {
    const breaker = halfOpen({ ...small, maxWaitDurationInHalfOpenStateMs: 5_000 });
    breaker.start();
    breaker.advance(4_999);
    expect(breaker.state()).toBe('halfOpen');
    breaker.advance(1);
    expect(breaker.state()).toBe('open');
  });
});

describe('circuit breaker: manual states', () => {
  it('forcedOpen permits nothing, counts refusals, ignores results and never leaves by itself', () => {
    const breaker = driveBreaker(small);
    breaker.calls('ss');
    breaker.actor.send({ type: 'FORCE_OPEN' });
    expect(breaker.state()).toBe('forcedOpen');
    expect(breaker.start()).toBe(false);
    breaker.calls('ffff');
    breaker.advance(10 * 60_000);
    expect(breaker.state()).toBe('forcedOpen');
    expect(breaker.context()).toMatchObject({ notPermitted: 1, bufferedCalls: 0, failureRate: -1 });
  });

  it('disabled permits everything and records nothing', () => {
    const breaker = driveBreaker(small);
    breaker.actor.send({ type: 'DISABLE' });
    breaker.calls('ffffffff');
    expect(breaker.state()).toBe('disabled');
    expect(breaker.start()).toBe(true);
    expect(breaker.context()).toMatchObject({ bufferedCalls: 0, failed: 0 });
  });

  it('RESET closes with an empty window from any state, including closed', () => {
    const breaker = driveBreaker(small);
    breaker.calls('fff');
    breaker.actor.send({ type: 'RESET' });
    expect(breaker.context()).toMatchObject({ bufferedCalls: 0, failed: 0 });
    breaker.fail();
    expect(breaker.state()).toBe('closed');
    breaker.calls('fff');
    expect(breaker.state()).toBe('open');
    breaker.start();
    breaker.actor.send({ type: 'RESET' });
    expect(breaker.state()).toBe('closed');
    expect(breaker.context()).toMatchObject({ bufferedCalls: 0, notPermitted: 0 });
  });

  it('TRANSITION_TO_OPEN keeps the current window and restarts the wait', () => {
    const breaker = driveBreaker(small);
    breaker.calls('sf');
    breaker.actor.send({ type: 'TRANSITION_TO_OPEN' });
    expect(breaker.state()).toBe('open');
    expect(breaker.context()).toMatchObject({ bufferedCalls: 2, failed: 1 });
    breaker.advance(6_000);
    breaker.actor.send({ type: 'TRANSITION_TO_OPEN' });
    breaker.advance(6_000);
    expect(breaker.state()).toBe('open');
    breaker.advance(4_000);
    expect(breaker.state()).toBe('halfOpen');
  });

  it('TRANSITION_TO_HALF_OPEN and TRANSITION_TO_CLOSED start fresh windows', () => {
    const breaker = driveBreaker(small);
    breaker.actor.send({ type: 'TRANSITION_TO_HALF_OPEN' });
    expect(breaker.state()).toBe('halfOpen');
    breaker.start();
    breaker.actor.send({ type: 'TRANSITION_TO_HALF_OPEN' });
    expect(breaker.context().callsInHalfOpen).toBe(0);
    breaker.actor.send({ type: 'FORCE_OPEN' });
    breaker.actor.send({ type: 'TRANSITION_TO_CLOSED' });
    expect(breaker.state()).toBe('closed');
    expect(breaker.permitted()).toBe(true);
  });
});

describe('circuit breaker: catalog', () => {
  it('is in the machine catalog, so `tradewire graph circuit-breaker` can draw it', () => {
    const build = machineCatalog['circuit-breaker'];
    expect(build).toBeDefined();
    const graph = machineGraph(build!());
    expect(graph.children.map((c) => c.key).sort()).toEqual(['closed', 'disabled', 'forcedOpen', 'halfOpen', 'open']);
    expect(graph.children.find((c) => c.key === 'open')?.edges.map((e) => e.target)).toContain('circuit-breaker.halfOpen');
  });
});
