import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LevelMonitor, type LevelAlert } from '../../../src/regulatory/cftc/monitor/levelMonitor.ts';
import type { ContractPosition } from '../../../src/regulatory/cftc/positions/contractPosition.ts';
import { position, shippedLevelConfig } from './regulatoryFixture.ts';

const { instruments } = shippedLevelConfig();
const kinds = (alerts: LevelAlert[]): string[] => alerts.map((a) => `${a.kind} ${a.account} ${a.commodity}`);

describe('the level monitor', () => {
  it('fires when an account first reaches the level (>=) and when it drops below', () => {
    const monitor = new LevelMonitor(instruments);
    expect(monitor.update([position('A', 'ZC', '202703', 249)])).toEqual([]);
    const reached = monitor.update([position('A', 'ZC', '202703', 250)]);
    expect(reached).toEqual([{ kind: 'reportable', account: 'A', marketKey: '01:C', exchange: 'CBOT', commodity: 'Corn', level: 250, largestInOneFuture: 250 }]);
    expect(monitor.update([position('A', 'ZC', '202703', 400)])).toEqual([]);
    expect(kinds(monitor.update([position('A', 'ZC', '202703', 249)]))).toEqual(['belowLevel A Corn']);
    expect(monitor.update([position('A', 'ZC', '202703', 10)])).toEqual([]);
  });

  it('measures short positions the same way', () => {
    const monitor = new LevelMonitor(instruments);
    expect(kinds(monitor.update([position('A', 'CL', '202702', -350)]))).toEqual(['reportable A Crude Oil, Sweet']);
    expect(kinds(monitor.update([]))).toEqual(['belowLevel A Crude Oil, Sweet']);
  });

  it('tests any one future, not all months added together (15.00(p)(1))', () => {
    const monitor = new LevelMonitor(instruments);
    expect(monitor.update([position('A', 'ZW', '202703', 100), position('A', 'ZW', '202705', 100)])).toEqual([]);
    expect(kinds(monitor.update([position('A', 'ZW', '202703', 100), position('A', 'ZW', '202705', 150)]))).toEqual(['reportable A Wheat']);
  });

  it('keeps accounts and markets apart', () => {
    const monitor = new LevelMonitor(instruments);
    const alerts = monitor.update([position('A', 'GC', '202702', 200), position('B', 'GC', '202702', 199), position('A', 'ES', '202703', 999)]);
    expect(kinds(alerts)).toEqual(['reportable A Gold']);
    expect(monitor.isReportable('A', '07:GC')).toBe(true);
    expect(monitor.isReportable('B', '07:GC')).toBe(false);
  });

  it('alerts exactly on crossings, alternating per account and market (property, against a model)', () => {
    const symbols = ['ZC', 'GC', 'NQ'] as const; // levels 250, 200, 200
    const level: Record<string, number> = { ZC: 250, GC: 200, NQ: 200 };
    const step = fc.record({
      account: fc.constantFrom('A', 'B'),
      symbol: fc.constantFrom(...symbols),
      month: fc.constantFrom('202703', '202706'),
      net: fc.integer({ min: -400, max: 400 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const monitor = new LevelMonitor(instruments);
        const book = new Map<string, ContractPosition>();
        const modelReportable = new Map<string, boolean>();
        const lastAlert = new Map<string, string>();
        for (const s of steps) {
          book.set(`${s.account}|${s.symbol}|${s.month}`, position(s.account, s.symbol, s.month, s.net));
          const alerts = monitor.update([...book.values()]);
          // The model: reportable when any one month's |net| reaches the level.
          const expected: string[] = [];
          for (const account of ['A', 'B']) {
            for (const symbol of symbols) {
              const key = `${account}|${symbol}`;
              const now = [...book.values()].some((p) => p.account === account && p.symbol === symbol && Math.abs(p.net) >= level[symbol]!);
              const before = modelReportable.get(key) ?? false;
              if (now !== before) expected.push(`${now ? 'reportable' : 'belowLevel'} ${key}`);
              modelReportable.set(key, now);
            }
          }
          const actual = alerts.map((a) => `${a.kind} ${a.account}|${symbols.find((sym) => instruments.marketOf(sym).key === a.marketKey)}`);
          expect(actual.sort()).toEqual(expected.sort());
          for (const a of alerts) {
            const key = `${a.account}|${a.marketKey}`;
            expect(lastAlert.get(key)).not.toBe(a.kind);
            lastAlert.set(key, a.kind);
          }
        }
      }),
    );
  });
});
