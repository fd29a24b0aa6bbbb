import { Redis } from 'ioredis';
import { OrderAuditTrail, type AuditRecordInput } from '../../src/audit';

/** DB 15, kept for tests; every trail also has its own key. */
export const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d+$/, '')}/15`;

export function connectRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** A trail on a stream key no other test (or test run) shares. */
export function freshTrail(redis: Redis): OrderAuditTrail {
  return new OrderAuditTrail(redis, { key: `test:audit:${process.pid}:${Math.random().toString(36).slice(2)}` });
}

export async function deleteTrail(redis: Redis, trail: OrderAuditTrail): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${trail.keys.stream}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

export function received(clientOrderId: string, extra: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return { kind: 'received', clientOrderId, account: 'DU1234567', actor: 'orders', ...extra } as AuditRecordInput;
}
