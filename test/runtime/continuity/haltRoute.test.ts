import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../../src/audit/index.ts';
import { IntakeHalt } from '../../../src/orders/intakeHalt.ts';
import { HaltSwitch } from '../../../src/runtime/haltSwitch.ts';
import type { RuntimeView } from '../../../src/admin/runtimeView.ts';
import { authorized, makeAdminTestApp } from '../../admin/adminTestApp.ts';
import { FakeRuntimeView } from '../../admin/fakeRuntimeView.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';
import { unusedPort } from '../../cli/liveServer.ts';
import { deleteByPrefix } from '../../support/redisKeys.ts';
import { REDIS_URL } from '../../support/redisUrl.ts';

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
    (view as RuntimeView).haltSwitch = new HaltSwitch({ halt, trail: new OrderAuditTrail(down, { key: 'test:audit' }), logger: createMemoryLogger().logger, store: { redis: down, key: 'test:halt:operator' } });
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
    (view as RuntimeView).haltSwitch = new HaltSwitch({ halt, trail: new OrderAuditTrail(down, { key: 'test:audit' }), logger: createMemoryLogger().logger, store: { redis: down, key: 'test:halt:operator' } });
    const { app } = makeAdminTestApp({ view });
    const response = await resume(app, { reason: 'checked' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { code: 'audit_unavailable', message: expect.stringMatching(/order intake stays halted$/) } });
    expect(halt.reason).toBe('Redis lost its state');
  });
});

describe('POST /halt (the kill switch) and its resume, on real Redis', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `test-halt-${process.pid}-${Math.random().toString(36).slice(2)}`;
  afterAll(async () => {
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
  });
  const halt = (app: ReturnType<typeof makeAdminTestApp>['app'], payload: unknown) =>
    app.inject({ method: 'POST', url: '/halt', headers: { ...authorized, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

  function world(cancelAll = () => 3) {
    const view = new FakeRuntimeView();
    const intake = new IntakeHalt();
    const trail = new OrderAuditTrail(redis, { key: `${prefix}:audit` });
    (view as RuntimeView).haltSwitch = new HaltSwitch({ halt: intake, trail, logger: createMemoryLogger().logger, store: { redis, key: `${prefix}:halt:operator` }, cancelAll });
    return { app: makeAdminTestApp({ view }).app, intake, trail };
  }

  it('halts with the reason (audited, kept in Redis), asks every working order to cancel when told, and survives a restart until resumed', async () => {
    let cancelled = 0;
    const w = world(() => (cancelled = 5));
    const response = await halt(w.app, { reason: 'desk check', cancelAll: true, operator: 'alice' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ halted: true, causes: ['operator'], cancelRequested: 5 });
    expect(cancelled).toBe(5);
    expect(w.intake.reason).toMatch(/^halted by alice at .*: desk check$/);
    const records = (await w.trail.readRange({})).map((e) => e.record);
    expect(records.at(-1)).toMatchObject({ kind: 'intakeHalted', who: 'alice', reason: 'desk check', details: { cancelAll: true } });

    // A new process (a new switch over an empty intake) finds the halt still in force.
    const restarted = new IntakeHalt();
    await new HaltSwitch({ halt: restarted, trail: w.trail, logger: createMemoryLogger().logger, store: { redis, key: `${prefix}:halt:operator` } }).restore();
    expect(restarted.reason).toMatch(/desk check/);

    const resumed = await resume(w.app, { reason: 'checked', operator: 'bob' });
    expect(resumed.statusCode).toBe(200);
    expect(w.intake.reason).toBeNull();
    const after = new IntakeHalt();
    await new HaltSwitch({ halt: after, trail: w.trail, logger: createMemoryLogger().logger, store: { redis, key: `${prefix}:halt:operator` } }).restore();
    expect(after.reason).toBeNull();
  });

  it('bad bodies get 400 naming the field, and change nothing', async () => {
    const w = world();
    for (const [body, problem] of [
      [{}, /^reason: required/],
      [{ reason: 'x', cancelAll: 'yes' }, /^cancelAll: must be true or false/],
      [{ reason: 'x', extra: 1 }, /extra/],
    ] as const) {
      const response = await halt(w.app, body);
      expect(response.statusCode).toBe(400);
      expect((response.json() as { error: { message: string } }).error.message).toMatch(problem);
    }
    expect(w.intake.reason).toBeNull();
  });
});
