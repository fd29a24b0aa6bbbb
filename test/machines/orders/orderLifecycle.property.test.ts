import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TERMINAL_ORDER_STATES } from '../../../src/machines/orders/orderMachine.ts';
import type { OrderEvent } from '../../../src/machines/orders/orderTypes.ts';
import { spec, startOrder } from './orderMachineHarness.ts';

const brokerEventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
  fc.record({ type: fc.constant('broker.acknowledged' as const), status: fc.constantFrom('Submitted', 'PreSubmitted') }),
  fc.record({
    type: fc.constant('broker.fill' as const),
    fill: fc.record({ execId: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5'), quantity: fc.integer({ min: -1, max: 5 }), price: fc.double({ min: 1, max: 10_000, noNaN: true }) }),
  }),
  fc.record({ type: fc.constant('broker.cancelled' as const) }),
  fc.record({ type: fc.constant('broker.rejected' as const), code: fc.constant(201), reason: fc.constant('rejected') }),
  fc.record({ type: fc.constant('broker.cancelFailed' as const), code: fc.constant(10148), reason: fc.constant('filled') }),
  fc.record({ type: fc.constant('CANCEL' as const) }),
  fc.record({ type: fc.constant('reconcile.notFound' as const) }),
);

const stepArb = fc.oneof(
  { weight: 5, arbitrary: brokerEventArb.map((event) => ({ kind: 'event' as const, event })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((ms) => ({ kind: 'time' as const, ms })) },
);

describe('order lifecycle invariants (fast-check)', () => {
  it('never overfills, counts each execution once, keeps terminal states final, and filled means fully filled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 30 }), fc.boolean(), async (steps, withDeadline) => {
        const o = startOrder({}, withDeadline ? { deadlineInMs: 3_000 } : {});
        await o.settle();
        const applied = new Map<string, number>();
        let terminal: { value: string; filled: number } | null = null;
        for (const step of steps) {
          if (step.kind === 'time') o.clock.increment(step.ms);
          else o.actor.send(step.event);
          await o.settle();
          const snapshot = o.actor.getSnapshot();
          const { filledQuantity, execIds } = snapshot.context;
          if (step.kind === 'event' && step.event.type === 'broker.fill' && !applied.has(step.event.fill.execId) && execIds.includes(step.event.fill.execId)) {
            applied.set(step.event.fill.execId, step.event.fill.quantity);
          }
          expect(filledQuantity).toBeGreaterThanOrEqual(0);
          expect(filledQuantity).toBeLessThanOrEqual(spec.quantity);
          expect(new Set(execIds).size).toBe(execIds.length);
          expect(filledQuantity).toBe(Math.min(spec.quantity, [...applied.values()].reduce((a, b) => a + b, 0)));
          const value = String(snapshot.value);
          if (terminal) {
            expect({ value, filled: filledQuantity }).toEqual(terminal);
          } else if ((TERMINAL_ORDER_STATES as readonly string[]).includes(value)) {
            expect(snapshot.status).toBe('done');
            terminal = { value, filled: filledQuantity };
          }
          if (value === 'filled') expect(filledQuantity).toBe(spec.quantity);
          if (filledQuantity === spec.quantity) expect(value).toBe('filled');
          if (value === 'rejected') expect(filledQuantity).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
