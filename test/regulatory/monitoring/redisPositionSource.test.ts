import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePositions, type ContractPosition } from '../../../src/regulatory/cftc/positions/contractPosition.ts';
import { RedisPositionSource } from '../../../src/regulatory/sources/redisPositionSource.ts';
import { testRedis, uniquePrefix } from './monitoringKit.ts';

const prefix = uniquePrefix('source');
let kit: ReturnType<typeof testRedis>;
beforeAll(() => {
  kit = testRedis(prefix);
});
afterAll(async () => kit.cleanup());

const position = (account: string, symbol: string, contractMonth: string, net: number): ContractPosition => ({ account, symbol, contractMonth, net });

describe('RedisPositionSource', () => {
  it('keeps each day\'s close under the prefix and finds the trading day before, flat days included', async () => {
    const source = new RedisPositionSource(kit.redis, `${prefix}:a`);
    await source.recordClose('2025-03-03', [position('DU1', 'ZC', '202703', 300), position('DU1', 'CL', '202702', -12)]);
    await source.recordClose('2025-03-04', []);
    await source.recordClose('2025-03-06', [position('DU1', 'ZC', '202703', 10)]);

    expect(await source.closingPositions('2025-03-03')).toEqual([position('DU1', 'CL', '202702', -12), position('DU1', 'ZC', '202703', 300)]);
    expect(await kit.redis.hget(`${prefix}:a:2025-03-03`, 'DU1|ZC|202703')).toBe('300');
    expect(await source.closingPositions('2025-03-04')).toEqual([]);
    expect(await source.closingPositions('2025-03-05')).toEqual([]);
    // The flat day is a trading day: the drop-off the day after a reportable day looks back to it.
    expect(await source.previousTradingDay('2025-03-06')).toBe('2025-03-04');
    expect(await source.previousTradingDay('2025-03-05')).toBe('2025-03-04');
    expect(await source.previousTradingDay('2025-03-04')).toBe('2025-03-03');
    expect(await source.previousTradingDay('2025-03-03')).toBeNull();
    expect(await source.days()).toEqual(['2025-03-03', '2025-03-04', '2025-03-06']);
  });

  it('a second close of the same day replaces the first, and a bad day or position is refused', async () => {
    const source = new RedisPositionSource(kit.redis, `${prefix}:b`);
    await source.recordClose('2025-03-03', [position('DU1', 'ZC', '202703', 300), position('DU1', 'ZW', '202703', 5)]);
    await source.recordClose('2025-03-03', [position('DU1', 'ZC', '202703', 200)]);
    expect(await source.closingPositions('2025-03-03')).toEqual([position('DU1', 'ZC', '202703', 200)]);
    await expect(source.recordClose('2025-3-3', [])).rejects.toThrow("day '2025-3-3' must be a date YYYY-MM-DD");
    await expect(source.recordClose('2025-03-05', [position('DU1', 'ZC', '2027-03', 1)])).rejects.toThrow(/YYYYMM/);
  });

  it('reads back what it recorded: open positions netted per account and future, in the stable order', async () => {
    const source = new RedisPositionSource(kit.redis, `${prefix}:c`);
    const positions = fc.array(
      fc.record({
        account: fc.constantFrom('DU1', 'DU2', 'ACCT9'),
        symbol: fc.constantFrom('ZC', 'CL', 'ES'),
        contractMonth: fc.constantFrom('202703', '202706'),
        net: fc.integer({ min: -500, max: 500 }),
      }),
      { maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(positions, async (recorded) => {
        await source.recordClose('2025-04-01', recorded);
        const expected = new Map<string, ContractPosition>();
        for (const p of recorded) {
          const key = `${p.account}|${p.symbol}|${p.contractMonth}`;
          expected.set(key, { ...p, net: (expected.get(key)?.net ?? 0) + p.net });
        }
        const open = [...expected.values()].filter((p) => p.net !== 0).sort(comparePositions);
        expect(await source.closingPositions('2025-04-01')).toEqual(open);
      }),
      { numRuns: 40 },
    );
  });
});
