import type { ContractDetails } from '@stoqey/ib';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractResolver } from '../../src/contracts/index.ts';
import { ContractDetailsCache, ReferenceDataService } from '../../src/ib/referenceData/index.ts';
import { parseOrderJob } from '../../src/orders/schema/index.ts';
import { orderJob, orderWorld, waitForState } from './orderWorld.ts';
import { HandMovedClock } from '../support/handMovedClock.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Monday 7 Dec 2026, 09:00 CT: Globex open; ES lists Dec 2026 (front) to Dec 2027. */
const MONDAY = '2026-12-07T15:00:00Z';

/** The runtime's wiring in small: the simulator's listing through the reference-data cache (real Redis), on the broker's clock. */
async function worldWithContracts() {
  const w = await orderWorld(cleanups, { simulator: { clock: new HandMovedClock(MONDAY) } });
  // The broker's clock is the simulator's (learnt from currentTime at connect).
  await waitUntil(() => w.conn.session.brokerClock.synchronised && Math.abs(w.conn.session.brokerClock.now() - Date.parse(MONDAY)) < 2_000, 'the broker clock');
  const referenceData = new ReferenceDataService(() => w.conn.session, new ContractDetailsCache<ContractDetails[]>({ redis: w.redis, namespace: w.prefix }));
  const contracts = new ContractResolver({ listing: (symbol, at) => referenceData.futuresOf(symbol, at), now: () => w.conn.session.brokerClock.now(), policies: { ES: 'front' } });
  const s = await w.startService({ contracts });
  await s.service.whenTakingJobs();
  const fills = new Queue('fills', { connection: w.redis, prefix: w.prefix });
  cleanups.push(() => fills.close());
  return { ...w, s, contracts, referenceData, fills };
}

describe('orders without an expiry go to the contract policy month (simulator over TCP, real Redis)', () => {
  it('routes to the resolved month, records it on the stored order, the fill and the position book', async () => {
    const w = await worldWithContracts();
    const resolved = await w.contracts.current('ES');
    const esz6 = w.sim.catalogue.listed().find((i) => i.symbol === 'ES' && i.contractMonth === '202612')!;
    expect(resolved).toMatchObject({ symbol: 'ES', contractMonth: '202612', lastTradeDate: '20261218', localSymbol: 'ESZ6', conId: esz6.conId, policy: 'front' });

    await w.queue.add('order', orderJob('noexp-1', { instrument: { symbol: 'ES' } }));
    expect(await waitForState(w.s.service, 'noexp-1', ['filled'])).toBe('filled');
    const stored = await w.s.service.store.load('noexp-1');
    expect(stored!.spec.expiry).toBe(resolved.contractMonth);
    // The broker booked it on the resolved contract.
    const booked = w.sim.ledger.byOrderRef('noexp-1');
    expect(booked.length).toBeGreaterThan(0);
    expect(new Set(booked.map((e) => e.conId))).toEqual(new Set([resolved.conId]));
    expect(w.s.service.positions.position('DU1234567', 'ES', resolved.contractMonth)).toBe(2);
    await waitUntil(async () => (await w.fills.getJobs(['waiting', 'delayed', 'prioritized'])).some((j) => j.data.clientOrderId === 'noexp-1'), 'the fill published');
    const fill = (await w.fills.getJobs(['waiting', 'delayed', 'prioritized'])).find((j) => j.data.clientOrderId === 'noexp-1')!;
    expect(fill.data.expiry).toBe(resolved.contractMonth);
  });

  it('honours an explicit expiry as given; a last trade date is kept on the order and its position is keyed by the contract month from reference data', async () => {
    const w = await worldWithContracts();
    // Not the front month: an explicit expiry is never replaced by the policy's.
    await w.queue.add('order', orderJob('lastday-1', { instrument: { symbol: 'ES', expiry: '20270319' } }));
    expect(await waitForState(w.s.service, 'lastday-1', ['filled'])).toBe('filled');
    expect((await w.s.service.store.load('lastday-1'))!.spec.expiry).toBe('20270319');
    const esh7 = w.sim.catalogue.listed().find((i) => i.symbol === 'ES' && i.contractMonth === '202703')!;
    expect(new Set(w.sim.ledger.byOrderRef('lastday-1').map((e) => e.conId))).toEqual(new Set([esh7.conId]));
    expect(w.s.service.positions.position('DU1234567', 'ES', '202703')).toBe(2);
    expect(w.s.service.positions.position('DU1234567', 'ES', '20270319')).toBe(0);
  });

  it('refuses to guess: without a resolver an order without an expiry is not placed', async () => {
    const w = await orderWorld(cleanups);
    const s = await w.startService();
    await s.service.whenTakingJobs();
    const parsed = parseOrderJob(orderJob('noexp-2', { instrument: { symbol: 'ES' } }));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    await expect(s.service.accept(parsed.job)).rejects.toThrow(/ES has no expiry and no contract policy is available/);
    expect(await s.service.store.load('noexp-2')).toBeNull();
  });

  it('an order for an expired or unlisted month is rejected with IB\'s 200, not left in doubt', async () => {
    const w = await worldWithContracts();
    await w.queue.add('order', orderJob('expired-1', { instrument: { symbol: 'ES', expiry: '202609' } }));
    await w.queue.add('order', orderJob('offcycle-1', { instrument: { symbol: 'ES', expiry: '202702' } }));
    expect(await waitForState(w.s.service, 'expired-1', ['rejected', 'inDoubt'])).toBe('rejected');
    expect(await waitForState(w.s.service, 'offcycle-1', ['rejected', 'inDoubt'])).toBe('rejected');
    expect((await w.s.service.store.load('expired-1'))?.context?.rejectReason).toMatch(/^200: No security definition/);
    expect(w.sim.ledger.all()).toHaveLength(0);
  });

  it('a redelivered job for a stored order is a duplicate even when no month can be chosen now', async () => {
    const w = await worldWithContracts();
    const job = orderJob('redelivered-1', { instrument: { symbol: 'ES' } });
    await w.queue.add('order', job);
    expect(await waitForState(w.s.service, 'redelivered-1', ['filled'])).toBe('filled');
    const parsed = parseOrderJob(job);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    // Redelivered when no month can be chosen (here: IB lists no such symbol), as during a broker outage.
    const fresh = { ...parsed.job, instrument: { symbol: 'NOSUCH' } } as typeof parsed.job;
    await expect(w.s.service.accept(fresh)).resolves.toEqual({ outcome: 'duplicate', clientOrderId: 'redelivered-1' });
    await expect(w.s.service.accept({ ...fresh, clientOrderId: 'never-stored-1' })).rejects.toThrow();
    expect(w.sim.ledger.byOrderRef('redelivered-1').reduce((n, e) => n + e.qty, 0)).toBe(2);
  });
});
