import type { ContractMarket, InstrumentMap } from '../levels/instrumentMap.ts';
import { comparePositions, longOf, shortOf, type ContractPosition } from '../positions/contractPosition.ts';

/** One account's positions in one contract market, measured against that market's 15.03(b) level. */
export interface MarketExposure {
  account: string;
  market: ContractMarket;
  /** Largest open long or short in any one future (any one contract month) of this market. */
  largestInOneFuture: number;
  reportable: boolean;
  /** Every future of this commodity on this market the account holds (17.00(a)(1) reports them all). */
  positions: ContractPosition[];
}

export function exposureKey(account: string, marketKey: string): string {
  return `${account}|${marketKey}`;
}

/**
 * 17 CFR 15.00(p)(1): a reportable position is an open position that at the close of the market
 * "equals or exceeds the quantity specified in § 15.03" in "any one future of any commodity on any
 * one reporting market". So the level is tested per contract month, long and short separately,
 * with >=, never on all months added together (the all-months test belongs to the Part 150 limits).
 * Once one future reaches the level, 17.00(a)(1) has every month of that commodity on that market reported.
 */
export function exposuresOf(positions: readonly ContractPosition[], instruments: InstrumentMap): MarketExposure[] {
  const byKey = new Map<string, MarketExposure>();
  for (const position of positions) {
    if (position.net === 0) continue;
    const market = instruments.marketOf(position.symbol);
    const key = exposureKey(position.account, market.key);
    const exposure = byKey.get(key) ?? { account: position.account, market, largestInOneFuture: 0, reportable: false, positions: [] };
    exposure.positions.push(position);
    exposure.largestInOneFuture = Math.max(exposure.largestInOneFuture, longOf(position), shortOf(position));
    exposure.reportable = exposure.largestInOneFuture >= market.level.contracts;
    byKey.set(key, exposure);
  }
  for (const exposure of byKey.values()) exposure.positions.sort(comparePositions);
  return [...byKey.values()].sort((a, b) => a.account.localeCompare(b.account) || a.market.key.localeCompare(b.market.key));
}
