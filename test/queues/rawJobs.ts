import type { Redis } from 'ioredis';

/**
 * Writes a job straight into BullMQ's Redis keys, the way a client that bypasses BullMQ (or
 * corrupts what it wrote) would: the job hash, the job id on a list or set, and for `wait` the
 * marker BullMQ's own add leaves so that a blocked worker wakes up.
 */
export async function writeRawJob(
  redis: Redis,
  at: { prefix: string; queue: string },
  id: string,
  fields: Record<string, string>,
  where: 'wait' | 'active' | 'failed' = 'wait',
): Promise<void> {
  const key = (suffix: string) => `${at.prefix}:${at.queue}:${suffix}`;
  const now = Date.now();
  await redis.hset(key(id), { name: 'order', timestamp: String(now), delay: '0', priority: '0', opts: '{}', data: '{}', ...fields });
  if (where === 'wait') {
    await redis.lpush(key('wait'), id);
    await redis.zadd(key('marker'), 0, '0');
  } else if (where === 'active') {
    await redis.lpush(key('active'), id);
  } else {
    await redis.hset(key(id), { finishedOn: String(now), failedReason: 'failed before it was corrupted', atm: '1' });
    await redis.zadd(key('failed'), now, id);
  }
}

/** JSON text of arrays nested `depth` deep: valid, but anything recursive over it overflows the stack. */
export function deepArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Does BullMQ fail to decode a job with these fields? (data and opts are JSON-parsed; opts must not be null.) */
export function undecodable(fields: { data: string; opts: string }): boolean {
  try {
    JSON.parse(fields.data || '{}');
    return JSON.parse(fields.opts || '{}') === null;
  } catch {
    return true;
  }
}
