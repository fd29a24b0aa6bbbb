import { Redis } from 'ioredis';
import { afterAll, afterEach } from 'vitest';
import { OrderAuditTrail, type AuditRecordInput } from '../../src/audit/index.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { redisUrlForDb } from '../support/redisUrl.ts';

/** DB 15, kept for tests; every trail also has its own key. */
export const REDIS_URL = redisUrlForDb(15);

export function connectRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** A trail on a stream key no other test (or test run) shares. */
export function freshTrail(redis: Redis): OrderAuditTrail {
  return new OrderAuditTrail(redis, { key: `test:audit:${process.pid}:${Math.random().toString(36).slice(2)}` });
}

export function deleteTrail(redis: Redis, trail: OrderAuditTrail): Promise<void> {
  return deleteByPrefix(redis, trail.keys.stream);
}

export function received(clientOrderId: string, extra: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return { kind: 'received', clientOrderId, account: 'DU1234567', actor: 'orders', ...extra } as AuditRecordInput;
}

/**
 * For a test file: one connection, and trails that are deleted after each test. Call at the top
 * level of the file.
 */
export function useTrails(): { redis: Redis; trail: () => OrderAuditTrail; cleanup: () => Promise<void> } {
  const redis = connectRedis();
  const trails: OrderAuditTrail[] = [];
  /** Deletes the trails made so far (property tests call it per run). */
  const cleanup = async () => {
    for (const created of trails.splice(0)) await deleteTrail(redis, created);
  };
  afterEach(cleanup);
  afterAll(() => redis.disconnect());
  return {
    redis,
    cleanup,
    trail: () => {
      const created = freshTrail(redis);
      trails.push(created);
      return created;
    },
  };
}
