import { SecType, type Contract, type ContractDetails, type IBApi } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractDetailsCache, CachedLookupError } from '../../../src/ib/referenceData/index.ts';
import { ReferenceDataService } from '../../../src/ib/referenceData/referenceDataService.ts';
import { IbRequestError } from '../../../src/ib/session/requestCorrelator.ts';
import { connectedSim, STEADY_TIMING } from '../ibConnectionHarness.ts';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../../support/redisUrl.ts';
import { HandMovedClock } from '../../support/handMovedClock.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('reference data through the IB connection and the two-layer cache (simulator, real Redis)', () => {
  it('asks IB once per contract, serves repeats from cache, and caches an unknown contract briefly as an error', async () => {
    const { conn } = await connectedSim(cleanups, 'connected', {}, STEADY_TIMING);
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
    // Monday 7 Dec 2026 on the gateway: ES lists Dec 2026 to Dec 2027.
    const gatewayClock = new HandMovedClock('2026-12-07T15:00:00Z');
    const { sim, conn } = await connectedSim(cleanups, 'connected', { clock: gatewayClock }, STEADY_TIMING);
    const redis = new Redis(REDIS_URL);
    const prefix = `refdata:svc:${Math.random().toString(36).slice(2)}:`;
    cleanups.push(async () => {
      const keys = await redis.keys(`test:${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });
    const service = new ReferenceDataService(() => conn.session, new ContractDetailsCache<ContractDetails[]>({ redis, namespace: 'test', config: { keyPrefix: prefix } }));
    /** What the simulator lists for ES at its clock, as the listing describes each month. */
    const simListsNow = () =>
      sim.catalogue.listed().filter((i) => i.symbol === 'ES').map((i) => expect.objectContaining({ contractMonth: i.contractMonth, lastTradeDate: i.lastTradeDateOrContractMonth, localSymbol: i.localSymbol, conId: i.conId }));

    // Heartbeats also go out: count the contract-details requests themselves.
    let asked = 0;
    const api = conn.session.client!;
    const reqContractDetails = api.reqContractDetails.bind(api);
    api.reqContractDetails = ((reqId: number, contract: Contract) => {
      asked += 1;
      return reqContractDetails(reqId, contract);
    }) as IBApi['reqContractDetails'];

    const before = gatewayClock.now();
    const listing = await service.futuresOf('ES', before);
    expect(listing).toEqual(simListsNow());
    expect(listing.map((l) => l.contractMonth)).toEqual(['202612', '202703', '202706', '202709', '202712']);
    expect(listing[0]).toMatchObject({ contractMonth: '202612', lastTradeDate: '20261218', localSymbol: 'ESZ6', timeZoneId: 'US/Central' });
    expect(listing[0]!.lastTradeDateOrContractMonth).toMatch(/^20261218/);
    // Trading in ESZ6 ends on 18 Dec (08:30 CT when IB says the time, else at the day's end).
    expect(listing[0]!.expiresAt).toBeGreaterThan(Date.parse('2026-12-18T06:00:00Z'));
    expect(listing[0]!.expiresAt).toBeLessThanOrEqual(Date.parse('2026-12-19T06:00:00Z'));
    expect(asked).toBe(1);
    const again = await service.futuresOf('ES', before);
    expect(again).toEqual(listing);
    expect(asked).toBe(1);
    // A cache hit reuses the listing parsed from the same details (the same month objects), in a fresh array.
    expect(again[0]).toBe(listing[0]);
    expect(again).not.toBe(listing);
    const all = await service.futuresOf('ES');
    all.pop();
    expect((await service.futuresOf('ES')).length).toBe(all.length + 1);

    // The broker's clock passed the front month's end: the cached listing is stale, asked again once; the gateway no longer lists ESZ6.
    const after = listing[0]!.expiresAt;
    gatewayClock.moveTo(new Date(after).toISOString());
    const refreshedListing = await service.futuresOf('ES', after);
    expect(asked).toBe(2);
    expect(refreshedListing.map((l) => l.contractMonth)).not.toContain('202612');
    expect(refreshedListing[0]!.contractMonth).toBe('202703');
    expect(refreshedListing).toEqual(simListsNow());
    expect(await service.futuresOf('ES', after + 60_000)).toEqual(refreshedListing);
    expect(asked).toBe(2);
  });
});
