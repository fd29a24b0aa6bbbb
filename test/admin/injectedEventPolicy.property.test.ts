import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibConnectionEventSchema } from '../../src/runtime/capabilities/ibConnectionChild.ts';
import { InjectedEventPolicy } from '../../src/runtime/injectedEventPolicy.ts';
import { orderEventSchema } from '../../src/orders/schema/orderEvents.ts';
import { ActorProfiles, NO_INJECTED_EVENTS } from '../../src/supervision/actorProfiles.ts';

const ORDER = 'order:carry.ES.1';
const SLICE = 'order:twap.1:t2';

function policy(brokerEventInjection: boolean) {
  const profiles = new ActorProfiles();
  profiles.register('ib', { eventSchema: ibConnectionEventSchema });
  profiles.register('orders', { eventSchema: NO_INJECTED_EVENTS });
  profiles.register('md-x-breaker', { details: () => ({}) });
  // As the order service declares on each order's child spec (slices too: the policy refuses them by id).
  profiles.register(ORDER, { eventSchema: orderEventSchema });
  profiles.register(SLICE, { eventSchema: orderEventSchema });
  return new InjectedEventPolicy(profiles, { brokerEventInjection });
}

const actors = fc.oneof(fc.constantFrom('root', 'orders', 'ib', 'md-x-breaker', ORDER, SLICE), fc.string({ maxLength: 20 }));
const reservedTypes = fc.oneof(
  fc.tuple(fc.constantFrom('tradewire.', 'xstate.', 'reconcile.', 'child.', 'algo.'), fc.string({ maxLength: 20 })).map(([prefix, rest]) => prefix + rest),
  fc.constantFrom('connection.ready', 'DEADLINE', 'tradewire.shutdown', 'xstate.stop', 'tradewire.supervisor.childFailed', 'reconcile.found', 'child.fill', 'algo.slice'),
);
const brokerTypes = fc.oneof(
  fc.constantFrom('broker.fill', 'broker.submitted', 'broker.acknowledged', 'broker.cancelled', 'broker.rejected', 'broker.commission'),
  fc.string({ maxLength: 20 }).map((rest) => `broker.${rest}`),
);
const anyFields = fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== 'type'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

describe('injected events no actor takes', () => {
  it('lifecycle, XState and order-internal types are refused for every actor, with or without the testing flag', () => {
    fc.assert(
      fc.property(actors, reservedTypes, fc.boolean(), anyFields, (systemId, type, flag, fields) => {
        const problem = policy(flag).problemWith(systemId, { ...fields, type });
        expect(problem).toContain(JSON.stringify(type));
        expect(problem).toMatch(/cannot be injected/);
      }),
      { numRuns: 300 },
    );
  });

  it('broker-origin types are refused for every actor without the testing flag, and for every non-order actor with it', () => {
    fc.assert(
      fc.property(actors, brokerTypes, fc.boolean(), anyFields, (systemId, type, flag, fields) => {
        const problem = policy(flag).problemWith(systemId, { ...fields, type });
        if (!flag || !systemId.startsWith('order:')) expect(problem).toMatch(/is broker-origin/);
        else expect(problem === null || !/is broker-origin/.test(problem)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('an actor that declares nothing, or no events, takes nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom('root', 'orders', 'md-x-breaker', 'nobody'), fc.string({ minLength: 1, maxLength: 20 }), (systemId, type) => {
        expect(policy(true).problemWith(systemId, { type })).not.toBeNull();
      }),
      { numRuns: 200 },
    );
    expect(policy(false).problemWith('orders', { type: 'RESTART' })).toBe('it accepts no injected events');
    expect(policy(false).problemWith('md-x-breaker', { type: 'RESET' })).toBe('it accepts no injected events');
  });
});

describe('injected events an actor takes', () => {
  it('an undeclared type is named, with the types the actor declares', () => {
    expect(policy(false).problemWith('ib', { type: 'EXPLODE' })).toBe('event type "EXPLODE" is not declared by it (it accepts "RECONNECT", "FAILOVER")');
    expect(policy(false).problemWith('ib', { type: 'RECONNECT' })).toBeNull();
  });

  it('order actors take CANCEL and MODIFY only; a TWAP slice takes neither (its parent does)', () => {
    expect(policy(false).problemWith(ORDER, { type: 'CANCEL' })).toBeNull();
    expect(policy(false).problemWith(ORDER, { type: 'MODIFY', quantity: 3 })).toBeNull();
    expect(policy(false).problemWith(ORDER, { type: 'FILL' })).toMatch(/"FILL" is not declared by it \(it accepts "CANCEL", "MODIFY"\)/);
    for (const event of [{ type: 'CANCEL' }, { type: 'MODIFY', quantity: 3 }]) {
      expect(policy(true).problemWith(SLICE, event)).toMatch(/child order \(a TWAP slice\).*to its parent order/);
    }
    expect(policy(true).problemWith(SLICE, { type: 'broker.fill', fill: { execId: 'x1', quantity: 1, price: 5000 } })).toBeNull();
  });

  it('with the testing flag, broker events into an order are checked field by field', () => {
    const testing = policy(true);
    expect(testing.problemWith(ORDER, { type: 'broker.fill', fill: { execId: 'x1', quantity: 1, price: 5000 } })).toBeNull();
    expect(testing.problemWith(ORDER, { type: 'broker.fill', fill: { execId: '', quantity: 0, price: 'x' } })).toBe(
      'fill.execId: must not be empty; fill.quantity: must be positive; fill.price: Invalid input: expected number, received string',
    );
    expect(testing.problemWith(ORDER, { type: 'broker.fill', fill: { execId: 'x1', quantity: 1, price: 5000 }, forged: true })).toBe('forged: unknown field');
    expect(testing.problemWith(ORDER, { type: 'broker.madeUp' })).toMatch(/"broker\.madeUp" is not declared by it/);
  });
});
