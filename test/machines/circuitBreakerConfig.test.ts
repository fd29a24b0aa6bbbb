import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/configError.ts';
import { circuitBreakerDefaults, parseCircuitBreakerConfig } from '../../src/machines/circuitBreaker/config.ts';
import { createCircuitBreakerMachine } from '../../src/machines/circuitBreaker/circuitBreakerMachine.ts';

describe('circuit breaker config', () => {
  it("defaults to resilience4j's defaults", () => {
    expect(circuitBreakerDefaults).toEqual({
      name: 'circuit-breaker',
      failureRateThreshold: 50,
      slowCallRateThreshold: 100,
      slowCallDurationThresholdMs: 60_000,
      permittedNumberOfCallsInHalfOpenState: 10,
      slidingWindowType: 'COUNT_BASED',
      slidingWindowSize: 100,
      minimumNumberOfCalls: 100,
      waitDurationInOpenStateMs: 60_000,
      maxWaitDurationInHalfOpenStateMs: 0,
    });
  });

  it('fills in the keys left out', () => {
    const config = parseCircuitBreakerConfig({ name: 'ib-connect', slidingWindowType: 'TIME_BASED', slidingWindowSize: 30 });
    expect(config).toEqual({ ...circuitBreakerDefaults, name: 'ib-connect', slidingWindowType: 'TIME_BASED', slidingWindowSize: 30 });
  });

  it.each([
    [{ failureRateThreshold: 150 }, /failureRateThreshold: must be at most 100.*got 150/],
    [{ slowCallRateThreshold: 0 }, /slowCallRateThreshold: must be above 0/],
    [{ slidingWindowSize: 2.5 }, /slidingWindowSize: .*got 2.5/],
    [{ permittedNumberOfCallsInHalfOpenState: 0 }, /permittedNumberOfCallsInHalfOpenState/],
    [{ minimumNumberOfCalls: -1 }, /minimumNumberOfCalls/],
    [{ waitDurationInOpenStateMs: 0 }, /waitDurationInOpenStateMs/],
    [{ maxWaitDurationInHalfOpenStateMs: -5 }, /maxWaitDurationInHalfOpenStateMs/],
    [{ slowCallDurationThresholdMs: 0 }, /slowCallDurationThresholdMs/],
    [{ slidingWindowType: 'SESSION' }, /slidingWindowType/],
    [{ failureRateTreshold: 20 }, /failureRateTreshold: unknown key/],
  ])('rejects %j naming the key', (input, message) => {
    expect(() => parseCircuitBreakerConfig(input)).toThrow(ConfigError);
    expect(() => parseCircuitBreakerConfig(input)).toThrow(message);
  });

  it("names the breaker as the error's source", () => {
    expect(() => parseCircuitBreakerConfig({ name: 'ib-connect', failureRateThreshold: 0 })).toThrow(/from circuit breaker 'ib-connect'/);
  });

  it('is checked when the machine is created', () => {
    expect(() => createCircuitBreakerMachine({ slidingWindowSize: 0 })).toThrow(/slidingWindowSize/);
  });
});
