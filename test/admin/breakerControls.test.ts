import { describe, expect, it } from 'vitest';
import { InjectedEventPolicy } from '../../src/runtime/injectedEventPolicy.ts';
import { ActorProfiles } from '../../src/supervision/actorProfiles.ts';
import { circuitBreakerEventSchema } from '../../src/machines/circuitBreaker/circuitBreakerMachine.ts';

describe('circuit breakers take only the operator controls from outside', () => {
  const profiles = new ActorProfiles();
  profiles.register('md-ib-breaker', { eventSchema: circuitBreakerEventSchema });
  const policy = new InjectedEventPolicy(profiles, { brokerEventInjection: false });

  it.each(['FORCE_OPEN', 'DISABLE', 'RESET', 'TRANSITION_TO_CLOSED', 'TRANSITION_TO_OPEN', 'TRANSITION_TO_HALF_OPEN'])('accepts %s', (type) => {
    expect(policy.problemWith('md-ib-breaker', { type })).toBeNull();
  });

  it('refuses call outcomes (only the code making the calls reports them) and extra fields', () => {
    expect(policy.problemWith('md-ib-breaker', { type: 'call.failed', durationMs: 1 })).toMatch(/"call.failed" is not declared/);
    expect(policy.problemWith('md-ib-breaker', { type: 'RESET', force: true })).toMatch(/force/);
  });
});
