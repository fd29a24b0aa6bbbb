import type { InstrumentMap } from '../levels/instrumentMap.ts';
import type { ContractPosition } from '../positions/contractPosition.ts';
import { exposureKey, exposuresOf } from './reportability.ts';

export interface LevelAlert {
  /** `reportable`: the account first reached the level; `belowLevel`: it dropped below it. */
  kind: 'reportable' | 'belowLevel';
  account: string;
  /** `<exchange code>:<commodity code>` */
  marketKey: string;
  exchange: string;
  commodity: string;
  level: number;
  largestInOneFuture: number;
}

/**
 * Watches positions against the 15.03(b) levels and says when an account's position in a contract
 * market first reaches its level and when it drops below. It fires on crossings only, so a position
 * that stays above the level (or below it) raises nothing however often it is updated.
 * Intraday this is an early warning; whether a report is due is decided on the close (15.00(p)).
 */
export class LevelMonitor {
  private readonly reportable = new Map<string, { account: string; marketKey: string; exchange: string; commodity: string; level: number }>();

  constructor(private readonly instruments: InstrumentMap) {}

  /** Feeds the whole current book; returns the crossings since the last update. */
  update(positions: readonly ContractPosition[]): LevelAlert[] {
    const alerts: LevelAlert[] = [];
    const stillReportable = new Set<string>();
    for (const exposure of exposuresOf(positions, this.instruments)) {
      const key = exposureKey(exposure.account, exposure.market.key);
      const info = {
        account: exposure.account,
        marketKey: exposure.market.key,
        exchange: exposure.market.exchange,
        commodity: exposure.market.level.commodity,
        level: exposure.market.level.contracts,
      };
      if (exposure.reportable) {
        stillReportable.add(key);
        if (!this.reportable.has(key)) {
          this.reportable.set(key, info);
          alerts.push({ kind: 'reportable', ...info, largestInOneFuture: exposure.largestInOneFuture });
        }
      } else if (this.reportable.has(key)) {
        this.reportable.delete(key);
        stillReportable.add(key);
        alerts.push({ kind: 'belowLevel', ...info, largestInOneFuture: exposure.largestInOneFuture });
      }
    }
    // A market the account no longer holds at all has dropped below too.
    for (const [key, info] of [...this.reportable]) {
      if (stillReportable.has(key)) continue;
      this.reportable.delete(key);
      alerts.push({ kind: 'belowLevel', ...info, largestInOneFuture: 0 });
    }
    return alerts;
  }

  isReportable(account: string, marketKey: string): boolean {
    return this.reportable.has(exposureKey(account, marketKey));
  }
}
