import { describe, expect, it } from 'vitest';
import { decideLargeTraderReports } from '../../../src/regulatory/cftc/rules/largeTraderRules.ts';
import { position, shippedLevelConfig } from './regulatoryFixture.ts';

const { instruments } = shippedLevelConfig();
const summary = (lines: ReturnType<typeof decideLargeTraderReports>['lines']): string[] =>
  lines.map((l) => `${l.reason} ${l.account} ${l.symbol} ${l.contractMonth} L${l.long} S${l.short}`);

describe('which large trader reports a day needs', () => {
  it('reports every month of a commodity in which the account is reportable, and nothing else', () => {
    const decision = decideLargeTraderReports(
      {
        reportDate: '2026-03-02',
        positions: [position('A', 'ZC', '202703', 300), position('A', 'ZC', '202705', -20), position('A', 'ZW', '202703', 10), position('B', 'ZC', '202703', 249)],
        previousPositions: [],
      },
      instruments,
    );
    expect(summary(decision.lines)).toEqual(['reportable A ZC 202703 L300 S0', 'reportable A ZC 202705 L0 S20']);
  });

  it('needs nothing on a day without reportable positions', () => {
    expect(decideLargeTraderReports({ reportDate: '2026-03-02', positions: [position('A', 'ES', '202703', 999)], previousPositions: [] }, instruments).lines).toEqual([]);
  });

  it('files a drop-off on the first day an account is no longer reportable, with zero for closed months', () => {
    const decision = decideLargeTraderReports(
      {
        reportDate: '2026-03-03',
        positions: [position('A', 'ZC', '202703', 100)],
        previousPositions: [position('A', 'ZC', '202703', 300), position('A', 'ZC', '202705', -20)],
      },
      instruments,
    );
    expect(summary(decision.lines)).toEqual(['dropOff A ZC 202703 L100 S0', 'dropOff A ZC 202705 L0 S0']);
  });

  it('files no drop-off on the days after that', () => {
    const decision = decideLargeTraderReports({ reportDate: '2026-03-04', positions: [position('A', 'ZC', '202703', 100)], previousPositions: [position('A', 'ZC', '202703', 100)] }, instruments);
    expect(decision.lines).toEqual([]);
  });

  it('files a drop-off even when the account closed everything', () => {
    const decision = decideLargeTraderReports({ reportDate: '2026-03-03', positions: [], previousPositions: [position('A', 'GC', '202702', -200)] }, instruments);
    expect(summary(decision.lines)).toEqual(['dropOff A GC 202702 L0 S0']);
  });

  it('keeps reporting a market that stays reportable, without a drop-off', () => {
    const decision = decideLargeTraderReports({ reportDate: '2026-03-03', positions: [position('A', 'GC', '202702', 250)], previousPositions: [position('A', 'GC', '202702', 200)] }, instruments);
    expect(summary(decision.lines)).toEqual(['reportable A GC 202702 L250 S0']);
  });
});
