import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import type { AdminRequestRecord, RuntimeView } from '../../src/admin/runtimeView.ts';
import { authorized, makeAdminTestApp } from './adminTestApp.ts';
import { FakeRuntimeView } from './fakeRuntimeView.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

const redis = new Redis(REDIS_URL);
const key = `test-admin-audit-${process.pid}-${Math.random().toString(36).slice(2)}`;
afterAll(async () => {
  await deleteByPrefix(redis, key);
  redis.disconnect();
});

const digest = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

describe('every authenticated mutating admin request goes into the hash-chained audit trail', () => {
  it('records route (the pattern, never the query), request id, role, body digest and outcome; reads and refused credentials are not recorded', async () => {
    const view = new FakeRuntimeView();
    const recorded: AdminRequestRecord[] = [];
    (view as RuntimeView).auditAdminRequest = async (record) => void recorded.push(record);
    const { app } = makeAdminTestApp({ view });
    const body = { type: 'PING' };
    const injected = await app.inject({ method: 'POST', url: '/actors/redis/events', headers: { ...authorized, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    await app.inject({ method: 'POST', url: '/halt', headers: { ...authorized, 'content-type': 'application/json' }, payload: JSON.stringify({ reason: 'x' }) });
    await app.inject({ method: 'POST', url: '/halt', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ reason: 'x' }) });
    await app.inject({ method: 'GET', url: '/ready' });
    expect(recorded).toEqual([
      { method: 'POST', route: '/actors/:systemId/events', requestId: injected.headers['x-request-id'], role: 'operator', bodyDigest: digest(body), statusCode: injected.statusCode },
      expect.objectContaining({ route: '/halt', statusCode: 503, bodyDigest: digest({ reason: 'x' }) }),
    ]);
  });

  it('the record is a valid entry of the chained trail', async () => {
    const trail = new OrderAuditTrail(redis, { key });
    const record: AdminRequestRecord = { method: 'POST', route: '/halt', requestId: 'r-1', role: 'operator', bodyDigest: digest({ reason: 'x' }), statusCode: 200 };
    const appended = await trail.append({ kind: 'adminRequest', actor: 'admin', ...record });
    expect(appended.seq).toBe(1);
    await expect(trail.append({ kind: 'adminRequest', actor: 'admin', ...record, bodyDigest: 'nope' })).rejects.toThrow(/bodyDigest/);
  });
});
