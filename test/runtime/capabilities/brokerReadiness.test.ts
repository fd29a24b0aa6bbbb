import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { IbSession } from '../../../src/ib/session/ibSession.ts';
import { OrderIdAllocator } from '../../../src/ib/session/orderIdAllocator.ts';
import { brokerReadiness } from '../../../src/runtime/capabilities/brokerReadiness.ts';

describe('broker readiness', () => {
  it('an IB connection that is not online (connecting, in backoff) makes the process not ready, naming it', () => {
    const redis = new Redis({ lazyConnect: true });
    const session = new IbSession({ ratePerSecond: 45, burst: 5, paced: true, requestTimeoutMs: 1_000, orderIds: new OrderIdAllocator(redis, 'unused') });
    const check = brokerReadiness(new Map([['ib', session]]));
    expect(check()).toEqual(['IB connection ib is not connected (connecting or in backoff)']);
    expect(brokerReadiness(new Map())()).toEqual([]);
    redis.disconnect();
  });
});
