import type { ContractDetails } from '@stoqey/ib';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractResolver } from '../../src/contracts/index.ts';
import { ContractDetailsCache, ReferenceDataService } from '../../src/ib/referenceData/index.ts';
import { parseOrderJob } from '../../src/orders/schema/index.ts';
import { orderJob, orderWorld, waitForState } from './orderWorld.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The runtime's wiring in small: the simulator's listing through the reference-data cache (real Redis), on the broker's clock. */
async function worldWithContracts() {
  const w = await orderWorld(cleanups);
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
    // The simulator lists ES March 2027 today; with the multi-month simulator this is the front month of the day.
    expect(resolved).toMatchObject({ symbol: 'ES', contractMonth: '202703', lastTradeDate: '20270319', conId: 637533641, policy: 'front' });

    await w.queue.add('order', orderJob('noexp-1', { instrument: { symbol: 'ES' } }));
    expect(await waitForState(w.s.service, 'noexp-1', ['filled'])).toBe('filled');
    const stored = await w.s.service.store.load('noexp-1');
    expect(stored!.spec.expiry).toBe(resolved.contractMonth);
    // The broker booked it on the resolved contract.
    expect(w.sim.ledger.byOrderRef('noexp-1').map((e) => e.conId)).toEqual(expect.arrayContaining([resolved.conId]));
    expect(w.s.service.positions.position('DU1234567', 'ES', resolved.contractMonth)).toBe(2);
    await waitUntil(async () => (await w.fills.getJobs(['waiting', 'delayed', 'prioritized'])).some((j) => j.data.clientOrderId === 'noexp-1'), 'the fill published');
    const fill = (await w.fills.getJobs(['waiting', 'delayed', 'prioritized'])).find((j) => j.data.clientOrderId === 'noexp-1')!;
    expect(fill.data.expiry).toBe(resolved.contractMonth);
  });

  it('honours an explicit expiry as given; a last trade date is kept on the order and its position is keyed by the contract month from reference data', async () => {
    const w = await worldWithContracts();
    await w.queue.add('order', orderJob('lastday-1', { instrument: { symbol: 'ES', expiry: '20270319' } }));
    expect(await waitForState(w.s.service, 'lastday-1', ['filled'])).toBe('filled');
    expect((await w.s.service.store.load('lastday-1'))!.spec.expiry).toBe('20270319');
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
});
