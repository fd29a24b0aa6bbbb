import { SecType, type ContractDetails } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractDetailsCache, CachedLookupError } from '../../../src/ib/referenceData/index.ts';
import { ReferenceDataService } from '../../../src/ib/referenceData/referenceDataService.ts';
import { IbRequestError } from '../../../src/ib/session/requestCorrelator.ts';
import { connectedSim } from '../ibConnectionHarness.ts';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../../support/redisUrl.ts';
import { waitUntil } from '../../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('reference data through the IB connection and the two-layer cache (simulator, real Redis)', () => {
  it('asks IB once per contract, serves repeats from cache, and caches an unknown contract briefly as an error', async () => {
    const { conn } = await connectedSim(cleanups, 'connected');
    const redis = new Redis(REDIS_URL);
    const prefix = `refdata:svc:${Math.random().toString(36).slice(2)}:`;
    cleanups.push(async () => {
      const keys = await redis.keys(`test:${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });
    const cache = new ContractDetailsCache<ContractDetails[]>({ redis, namespace: 'test', config: { keyPrefix: prefix, negativeTtlMs: 2_000 } });
    const service = new ReferenceDataService(() => conn.session, cache);
    const sent = () => conn.session.sent;

    const es = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' };
    const first = await service.contractDetails(es);
    expect(first.length).toBeGreaterThan(0);
    expect(first[0]!.contract.multiplier).toBe(50);
    const afterFirst = sent();
    const second = await service.contractDetails(es);
    expect(second).toEqual(first);
    expect(sent()).toBe(afterFirst);

    const bogus = { symbol: 'NOPE', secType: SecType.FUT, exchange: 'CME', currency: 'USD' };
    await expect(service.contractDetails(bogus)).rejects.toBeInstanceOf(IbRequestError);
    const afterBogus = sent();
    await expect(service.contractDetails(bogus)).rejects.toBeInstanceOf(CachedLookupError);
    expect(sent()).toBe(afterBogus);
  });

  it('lists each month with its contract month, last trade date, local symbol and conId; a listing whose front month expired is asked again once, and expired months are never returned', async () => {
    const { conn } = await connectedSim(cleanups, 'connected');
    const redis = new Redis(REDIS_URL);
    const prefix = `refdata:svc:${Math.random().toString(36).slice(2)}:`;
    cleanups.push(async () => {
      const keys = await redis.keys(`test:${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });
    const service = new ReferenceDataService(() => conn.session, new ContractDetailsCache<ContractDetails[]>({ redis, namespace: 'test', config: { keyPrefix: prefix } }));
    const before = Date.parse('2027-03-01T15:00:00Z');
    const listing = await service.futuresOf('ES', before);
    expect(listing).toEqual([
      expect.objectContaining({ contractMonth: '202703', lastTradeDate: '20270319', localSymbol: 'ESH7', conId: 637533641, lastTradeDateOrContractMonth: '20270319' }),
    ]);
    expect(listing[0]!.expiresAt).toBeGreaterThan(Date.parse('2027-03-19T00:00:00Z'));
    expect(listing[0]!.expiresAt).toBeLessThanOrEqual(Date.parse('2027-03-20T06:00:00Z'));
    const asked = conn.session.sent;
    expect(await service.futuresOf('ES', before)).toEqual(listing);
    expect(conn.session.sent).toBe(asked);
    // The broker's clock passed the front month's last trade: the cached listing is stale, asked again once.
    const after = listing[0]!.expiresAt;
    expect(await service.futuresOf('ES', after)).toEqual([]);
    await waitUntil(() => conn.session.sent > asked, 'asked IB again');
    const refreshed = conn.session.sent;
    expect(await service.futuresOf('ES', after + 60_000)).toEqual([]);
    expect(conn.session.sent).toBe(refreshed);
  });
});
