import type { ContractDetails } from '@stoqey/ib';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractDetailsCache, ReferenceDataService } from '../../../src/ib/referenceData/index.ts';
import { ContractMonthResolver } from '../../../src/regulatory/monitoring/contractMonthResolver.ts';
import { ContractResolver } from '../../../src/contracts/index.ts';
import { namespaceKeys } from '../../../src/redis/namespaceKeys.ts';
import { deleteByPrefix } from '../../support/redisKeys.ts';
import { connectedSim, STEADY_TIMING } from '../ibConnectionHarness.ts';
import { REDIS_URL } from '../../support/redisUrl.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A resolver over the reference-data cache (a namespace of its own on the shared Redis), asking the simulator over TCP. */
async function resolverOverSimulator() {
  const { conn } = await connectedSim(cleanups, 'connected', {}, STEADY_TIMING);
  const redis = new Redis(REDIS_URL);
  const namespace = `test-refdata-${Math.random().toString(36).slice(2)}`;
  cleanups.push(async () => {
    await deleteByPrefix(redis, `${namespace}:`);
    redis.disconnect();
  });
  const referenceData = new ReferenceDataService(() => conn.session, new ContractDetailsCache<ContractDetails[]>({ redis, namespace }));
  const contracts = new ContractResolver({ listing: (symbol, at) => referenceData.futuresOf(symbol, at), now: () => conn.session.brokerClock.now() });
  return { conn, redis, namespace, resolver: new ContractMonthResolver(contracts) };
}

describe('contract-month resolution through the reference-data cache (simulator over TCP, real Redis)', () => {
  it('asks IB on a miss, remembers the contracts in memory and in Redis under the namespace, and asks nothing on a repeat', async () => {
    const { conn, redis, namespace, resolver } = await resolverOverSimulator();

    // Crude oil's last trade date is in the month before delivery: with a local symbol the month comes from it, no lookup.
    const before = conn.session.sent;
    expect(await resolver.monthOf('CL', '20270120', 'CLG7')).toBe('202702');
    expect(conn.session.sent).toBe(before);
    // A last trade date alone is looked up in the broker's listing (IB's contractMonth), never sliced.
    expect(await resolver.monthOf('ES', '20270319')).toBe('202703');
    await resolver.monthOf('CL', '20270120');
    const sent = conn.session.sent;
    expect(await resolver.monthOf('ES', '20270319')).toBe('202703');
    expect(await resolver.monthOf('ES', '202703')).toBe('202703');
    expect(conn.session.sent).toBe(sent);
    const prefix = namespaceKeys(namespace).referenceDataCache();
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual([`${prefix}FUT:CL::USD::0`, `${prefix}FUT:ES::USD::0`]);
  });

  it('says so when IB refuses a symbol, and remembers the refusal briefly instead of asking again', async () => {
    const { conn, resolver } = await resolverOverSimulator();
    await expect(resolver.monthOf('NOPE', '20270319')).rejects.toThrow(/IB request \d+ failed/);
    const sent = conn.session.sent;
    await expect(resolver.monthOf('NOPE', '20270319')).rejects.toThrow(/failed recently: .*\(cached; retried after \d+ ms\)/);
    expect(conn.session.sent).toBe(sent);
  });
});
