import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../src/audit';
import { IntakeHalt } from '../../src/orders/intakeHalt';
import { HaltSwitch } from '../../src/runtime/haltSwitch';
import type { RuntimeView } from '../../src/runtime/runtimeView';
import { authorized, makeAdminTestApp } from '../admin/adminTestApp';
import { FakeRuntimeView } from '../admin/fakeRuntimeView';
import { createMemoryLogger } from '../admin/memoryLogger';
import { unusedPort } from '../cli/liveServer';

const down = new Redis(`redis://127.0.0.1:${await unusedPort()}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
down.on('error', () => undefined);
afterAll(() => down.disconnect());

const resume = (app: ReturnType<typeof makeAdminTestApp>['app'], payload: unknown) =>
  app.inject({ method: 'POST', url: '/resume', headers: { ...authorized, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

describe('POST /resume', () => {
  it('a process without a halt switch says so (503)', async () => {
    const { app } = makeAdminTestApp();
    const response = await resume(app, { reason: 'checked' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { code: 'halt_switch_unavailable' } });
  });

  it('bad bodies get 400 naming the field; nothing is resumed', async () => {
    const view = new FakeRuntimeView();
    const halt = new IntakeHalt();
    halt.halt('redis-state-lost', 'Redis lost its state');
    (view as RuntimeView).haltSwitch = new HaltSwitch({ halt, trail: new OrderAuditTrail(down), logger: createMemoryLogger().logger });
    const { app } = makeAdminTestApp({ view });
    for (const [body, problem] of [
      [{}, /^reason: required/],
      [{ reason: '   ' }, /^reason: must not be empty/],
      [{ reason: 7 }, /^reason: must be a string/],
      [{ reason: 'ok', operator: 'two words' }, /^operator: must be 1 to 128 characters without spaces/],
      [{ reason: 'ok', extra: true }, /extra/],
    ] as const) {
      const response = await resume(app, body);
      expect(response.statusCode).toBe(400);
      expect((response.json() as { error: { message: string } }).error.message).toMatch(problem);
    }
    expect(halt.reason).toBe('Redis lost its state');
  });

  it('a resume that cannot be recorded in the audit trail does not happen (503, still halted)', async () => {
    const view = new FakeRuntimeView();
    const halt = new IntakeHalt();
    halt.halt('redis-state-lost', 'Redis lost its state');
    (view as RuntimeView).haltSwitch = new HaltSwitch({ halt, trail: new OrderAuditTrail(down), logger: createMemoryLogger().logger });
    const { app } = makeAdminTestApp({ view });
    const response = await resume(app, { reason: 'checked' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { code: 'audit_unavailable', message: expect.stringMatching(/order intake stays halted$/) } });
    expect(halt.reason).toBe('Redis lost its state');
  });
});
