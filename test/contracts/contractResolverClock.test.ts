import { describe, expect, it } from 'vitest';
import { ContractResolver } from '../../src/contracts/index.ts';
import { BrokerClock } from '../../src/ib/session/brokerClock.ts';
import type { ListedFuture } from '../../src/ib/referenceData/index.ts';

const month = (contractMonth: string, lastTradeDate: string, expiresAt: number): ListedFuture =>
  ({ contractMonth, lastTradeDate, lastTradeDateOrContractMonth: lastTradeDate, localSymbol: `ES${contractMonth}`, conId: Number(contractMonth), exchange: 'CME', timeZoneId: 'US/Central', expiresAt });

/** The local clock says early December; the gateway (a simulator moved on) says after ESZ6 expired. */
const LOCAL = Date.parse('2026-12-07T15:00:00Z');
const BROKER_SECONDS = Date.parse('2026-12-21T15:00:00Z') / 1000;
const LISTING = [month('202612', '20261218', Date.parse('2026-12-18T14:30:00Z')), month('202703', '20270319', Date.parse('2027-03-19T13:30:00Z'))];

describe('ContractResolver waits for the broker clock before choosing on its own', () => {
  it('chooses on the broker clock once it answers, not on the local clock it read before', async () => {
    const clock = new BrokerClock(() => LOCAL);
    const asked: number[] = [];
    const resolver = new ContractResolver({
      listing: async (_symbol, at) => {
        asked.push(at ?? Number.NaN);
        return LISTING.filter((m) => at === undefined || m.expiresAt > at);
      },
      now: clock.now,
      ready: () => clock.whenSynchronised(),
      policies: { ES: 'front' },
    });
    const choice = resolver.current('ES');
    await Promise.resolve();
    expect(asked).toEqual([]); // nothing chosen on the local clock
    clock.observe(BROKER_SECONDS);
    expect((await choice).contractMonth).toBe('202703');
    expect(asked[0]).toBeGreaterThanOrEqual(BROKER_SECONDS * 1000);
  });

  it('an explicit instant does not wait', async () => {
    const clock = new BrokerClock(() => LOCAL);
    const resolver = new ContractResolver({ listing: async () => LISTING, now: clock.now, ready: () => clock.whenSynchronised(), policies: { ES: 'front' } });
    expect((await resolver.current('ES', LOCAL)).contractMonth).toBe('202612');
  });

  it('whenSynchronised settles at the first answer and stays settled', async () => {
    const clock = new BrokerClock(() => LOCAL);
    let settled = false;
    void clock.whenSynchronised().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    clock.observe(BROKER_SECONDS);
    await clock.whenSynchronised();
    expect(settled).toBe(true);
  });
});
