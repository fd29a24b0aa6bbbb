import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimulatorFault } from '../../src/sim/index.ts';
import { connect, healthOf, startSim } from './ibConnectionHarness.ts';
import { maxInAnyWindow } from './rateWindow.ts';
import { waitUntil } from '../support/waitUntil.ts';

const faultArb: fc.Arbitrary<SimulatorFault> = fc.oneof(
  fc.constant({ kind: 'dropAll' } as const),
  fc.constant({ kind: 'halfOpen', on: true } as const),
  fc.constant({ kind: 'halfOpen', on: false } as const),
  fc.record({ kind: fc.constant('connectivityLost' as const), restoreAfterMs: fc.integer({ min: 20, max: 200 }), restoreCode: fc.constantFrom(1101 as const, 1102 as const) }),
  fc.constant({ kind: 'ibServerLost' } as const),
  fc.constant({ kind: 'dataFarmBroken' } as const),
  fc.constant({ kind: 'dataFarmRestored' } as const),
  fc.record({ kind: fc.constant('delay' as const), ms: fc.integer({ min: 0, max: 300 }) }),
  fc.constant({ kind: 'restart' } as const),
);

const stepArb = fc.record({ fault: faultArb, afterMs: fc.integer({ min: 0, max: 150 }), allocateIds: fc.integer({ min: 0, max: 5 }) });

describe('IB connection under random fault schedules (simulator, real TCP)', () => {
  it('never gets stuck: once the gateway is healthy again it returns to connected/healthy; rate and order ids hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 5 }), async (steps) => {
        const { sim, gateway } = await startSim();
        const conn = connect([gateway]);
        const sentAt: number[] = [];
        const stopWatching = conn.session.onSent((at) => sentAt.push(at));
        const ids = new Set<number>();
        try {
          await waitUntil(() => healthOf(conn.actor) === 'healthy', 'initial connect', 5_000);
          for (const step of steps) {
            sim.injectFault(step.fault);
            for (let i = 0; i < step.allocateIds; i += 1) {
              const id = await conn.session.orderIds.allocate();
              expect(ids.has(id)).toBe(false);
              ids.add(id);
            }
            for (let i = 0; i < 3; i += 1) conn.session.enqueue('data', (api) => api.reqCurrentTime());
            await new Promise((resolve) => setTimeout(resolve, step.afterMs));
          }
          // The gateway heals: no silence, no delay, farms back, sessions reset.
          sim.injectFault({ kind: 'halfOpen', on: false });
          sim.injectFault({ kind: 'delay', ms: 0 });
          sim.injectFault({ kind: 'dataFarmRestored' });
          sim.injectFault({ kind: 'restart' });
          await waitUntil(() => healthOf(conn.actor) === 'healthy' && conn.session.online, 'healthy after healing', 8_000);
          expect(maxInAnyWindow(sentAt, 1_000)).toBeLessThanOrEqual(50);
          const id = await conn.session.orderIds.allocate();
          expect(ids.has(id)).toBe(false);
        } finally {
          stopWatching();
          await conn.close();
          await sim.close();
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
