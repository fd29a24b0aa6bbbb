import type { ContractMarket, InstrumentMap } from '../levels/instrumentMap.ts';
import { comparePositions, positionKey, type ContractPosition } from '../positions/contractPosition.ts';
import { exposureKey, exposuresOf } from '../monitor/reportability.ts';

/** One position line to report: a future of a special account, as of the close of the report date. */
export interface PositionLine {
  account: string;
  symbol: string;
  contractMonth: string;
  market: ContractMarket;
  long: number;
  short: number;
  /** `dropOff`: the first day the account is no longer reportable in this market (17.00(a)(2)). */
  reason: 'reportable' | 'dropOff';
}

export interface LargeTraderDecision {
  reportDate: string;
  lines: PositionLine[];
}

export interface LargeTraderDay {
  reportDate: string;
  /** Close-of-day positions of the report date. */
  positions: readonly ContractPosition[];
  /** Close-of-day positions of the previous trading day; empty when there was none. */
  previousPositions: readonly ContractPosition[];
}

function lineOf(position: ContractPosition, market: ContractMarket, reason: PositionLine['reason']): PositionLine {
  return {
    account: position.account,
    symbol: position.symbol,
    contractMonth: position.contractMonth,
    market,
    long: Math.max(position.net, 0),
    short: Math.max(-position.net, 0),
    reason,
  };
}

/**
 * Which large-trader position lines a day needs (17 CFR 17.00(a)):
 * - every account and contract market reportable at the close: all its futures in that market (a)(1);
 * - every account and market reportable the day before but not today: a drop-off report (a)(2),
 *   showing today's positions in that market, and zero for each future reported the day before
 *   that is now closed, so that the drop-off is never an empty report;
 * - nothing else.
 */
export function decideLargeTraderReports(day: LargeTraderDay, instruments: InstrumentMap): LargeTraderDecision {
  const today = exposuresOf(day.positions, instruments);
  const yesterday = exposuresOf(day.previousPositions, instruments).filter((exposure) => exposure.reportable);
  const todayByKey = new Map(today.map((exposure) => [exposureKey(exposure.account, exposure.market.key), exposure]));
  const lines: PositionLine[] = [];

  for (const exposure of today) {
    if (exposure.reportable) lines.push(...exposure.positions.map((position) => lineOf(position, exposure.market, 'reportable')));
  }
  for (const before of yesterday) {
    const now = todayByKey.get(exposureKey(before.account, before.market.key));
    if (now?.reportable) continue;
    const held = new Map((now?.positions ?? []).map((position) => [positionKey(position), position]));
    for (const previous of before.positions) {
      const key = positionKey(previous);
      if (!held.has(key)) held.set(key, { ...previous, net: 0 });
    }
    lines.push(...[...held.values()].sort(comparePositions).map((position) => lineOf(position, before.market, 'dropOff')));
  }
  lines.sort((a, b) => comparePositions({ ...a, net: 0 }, { ...b, net: 0 }));
  return { reportDate: day.reportDate, lines };
}
