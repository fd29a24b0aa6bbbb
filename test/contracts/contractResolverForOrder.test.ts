import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContractResolver } from '../../src/contracts/index.ts';
import type { ListedFuture } from '../../src/ib/referenceData/index.ts';

const month = (contractMonth: string, lastTradeDate: string, expiresAt: string): ListedFuture => ({
  contractMonth,
  lastTradeDate,
  lastTradeDateOrContractMonth: lastTradeDate,
  localSymbol: `ES${contractMonth}`,
  conId: Number(contractMonth),
  exchange: 'CME',
  timeZoneId: 'US/Central',
  expiresAt: Date.parse(expiresAt),
});
const LISTING = [month('202612', '20261218', '2026-12-18T14:30:00Z'), month('202703', '20270319', '2027-03-19T13:30:00Z'), month('202706', '20270617', '2027-06-17T13:30:00Z')];

function resolverAt(iso: string) {
  const clock = { t: Date.parse(iso) };
  const resolver = new ContractResolver({
    listing: async (_symbol, at) => LISTING.filter((m) => at === undefined || m.expiresAt > at),
    now: () => clock.t,
    policies: { ES: { roll: { businessDaysBefore: 5, from: 'lastTrade' } } },
  });
  return { resolver, clock };
}

describe('orders without an expiry follow the month market data is priced from', () => {
  it('during a roll (policy moved on, prices not yet) the order goes to the priced month; after the switch, to the new one', async () => {
    const { resolver } = resolverAt('2026-12-14T15:00:00Z'); // past ESZ6's roll date (calendar days: 13 Dec)
    expect((await resolver.current('ES')).contractMonth).toBe('202703');
    resolver.pricedFrom('ES', '202612');
    expect((await resolver.forOrder('ES')).contractMonth).toBe('202612');
    resolver.pricedFrom('ES', '202703'); // the new month's first tick
    expect((await resolver.forOrder('ES')).contractMonth).toBe('202703');
  });

  it('never a priced month that has expired or is not listed: then the policy month', async () => {
    const { resolver, clock } = resolverAt('2026-12-14T15:00:00Z');
    resolver.pricedFrom('ES', '202609');
    expect((await resolver.forOrder('ES')).contractMonth).toBe('202703');
    resolver.pricedFrom('ES', '202612');
    clock.t = Date.parse('2026-12-18T15:00:00Z'); // ESZ6 stopped trading at 14:30Z
    expect((await resolver.forOrder('ES')).contractMonth).toBe('202703');
  });

  it('whatever month market data reports, an order goes to a listed, unexpired month', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('202609', '202612', '202703', '202706', '202709'), fc.integer({ min: 0, max: 40 * 86_400_000 }), async (priced, offset) => {
        const at = Date.parse('2026-12-01T15:00:00Z') + offset;
        const r = new ContractResolver({ listing: async (_s, when) => LISTING.filter((m) => when === undefined || m.expiresAt > when), now: () => at, policies: { ES: 'front' } });
        r.pricedFrom('ES', priced);
        const chosen = await r.forOrder('ES');
        expect(LISTING.some((m) => m.contractMonth === chosen.contractMonth && m.expiresAt > at)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
