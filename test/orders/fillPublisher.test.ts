import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSilentLogger } from '../../src/log/logger.ts';
import { FillPublisher } from '../../src/orders/fillPublisher.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

let redis: Redis;
let queue: Queue;
let prefix: string;

beforeEach(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  prefix = `test-fillpub-${Math.random().toString(36).slice(2)}`;
  queue = new Queue('fills', { connection: redis, prefix });
});
afterEach(async () => {
  vi.useRealTimers();
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

async function jobs() {
  for (let i = 0; i < 100; i += 1) {
    const found = await queue.getJobs(['waiting']);
    if (found.length > 0) return found.map((j) => j.data as { clientOrderId: string; commission: number; commissionsPending: number });
    await new Promise((r) => setTimeout(r, 10));
  }
  return [];
}

describe('fills go out with their commissions', () => {
  it('a fill waits for its executions’ commissions and goes out once with their sum', async () => {
    const publisher = new FillPublisher(queue, 60_000, createSilentLogger());
    publisher.publish('f1', { clientOrderId: 'a' }, ['x1', 'x2']);
    expect(publisher.commission('x1', 1.25)).toBe(true);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 0 });
    expect(publisher.commission('x2', 2.5)).toBe(true);
    expect(await jobs()).toEqual([{ clientOrderId: 'a', commission: 3.75, commissionsPending: 0 }]);
    // A repeat of a carried commission is not a second publication.
    expect(publisher.commission('x2', 2.5)).toBe(true);
  });

  it('a commission that came before its fill is taken at once', async () => {
    const publisher = new FillPublisher(queue, 60_000, createSilentLogger());
    expect(publisher.commission('y1', 2)).toBe(false);
    publisher.publish('f2', { clientOrderId: 'b' }, ['y1']);
    expect(await jobs()).toEqual([{ clientOrderId: 'b', commission: 2, commissionsPending: 0 }]);
  });

  it('without its commission the fill goes out after the wait, saying how many are pending; a later one is not taken', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const publisher = new FillPublisher(queue, 250, createSilentLogger());
    publisher.publish('f3', { clientOrderId: 'c' }, ['z1']);
    vi.advanceTimersByTime(250);
    vi.useRealTimers();
    expect(await jobs()).toEqual([{ clientOrderId: 'c', commission: 0, commissionsPending: 1 }]);
    expect(publisher.commission('z1', 2)).toBe(false);
  });
});
