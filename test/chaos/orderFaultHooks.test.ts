import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderFaultHooks } from '../../src/orders/orderFaultHooks.ts';
import type { RuntimeView } from '../../src/admin/runtimeView.ts';
import { authorized, makeAdminTestApp } from '../admin/adminTestApp.ts';

/** An admin app whose runtime has the fault hooks on (testing.faultHooks). */
function appWithHooks() {
  const { app, view } = makeAdminTestApp();
  const hooks = new OrderFaultHooks();
  Object.assign(view, { orderFaultHooks: hooks } satisfies Pick<RuntimeView, 'orderFaultHooks'>);
  return { app, hooks };
}

describe('OrderFaultHooks', () => {
  it('takeCrash is true exactly once per arm, per order', () => {
    const ids = fc.constantFrom('a', 'b', 'c.1', 'parent:t1');
    const op = fc.oneof(fc.record({ arm: ids }), fc.record({ take: ids }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const hooks = new OrderFaultHooks();
        const model = new Set<string>();
        for (const step of ops) {
          if ('arm' in step) {
            hooks.arm(step.arm);
            model.add(step.arm);
          } else {
            expect(hooks.takeCrash(step.take)).toBe(model.delete(step.take));
          }
        }
        expect(hooks.armedCount).toBe(model.size);
      }),
      { numRuns: 200 },
    );
  });
});

describe('POST /testing/orders/:clientOrderId/crash', () => {
  it('answers 404 when the fault hooks are off', async () => {
    const { app } = makeAdminTestApp();
    const response = await app.inject({ method: 'POST', url: '/testing/orders/o-1/crash', headers: authorized });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('/testing/orders/o-1/crash') } });
  });

  it('needs the bearer token like every mutating route', async () => {
    const { app, hooks } = appWithHooks();
    const response = await app.inject({ method: 'POST', url: '/testing/orders/o-1/crash' });
    expect(response.statusCode).toBe(401);
    expect(hooks.armedCount).toBe(0);
  });

  it('arms one crash for that order', async () => {
    const { app, hooks } = appWithHooks();
    const response = await app.inject({ method: 'POST', url: '/testing/orders/carry.ES.7/crash', headers: authorized });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ armed: true, clientOrderId: 'carry.ES.7' });
    expect(hooks.takeCrash('other')).toBe(false);
    expect(hooks.takeCrash('carry.ES.7')).toBe(true);
    expect(hooks.takeCrash('carry.ES.7')).toBe(false);
  });

  it('refuses an id with spaces or control characters, arming nothing', async () => {
    const { app, hooks } = appWithHooks();
    for (const id of ['a%20b', 'a%01b', '%C3%A9']) {
      const response = await app.inject({ method: 'POST', url: `/testing/orders/${id}/crash`, headers: authorized });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('invalid_order_id');
    }
    expect(hooks.armedCount).toBe(0);
  });
});
