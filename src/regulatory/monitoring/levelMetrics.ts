import { Gauge, type Registry } from 'prom-client';
import type { LevelWatch } from './levelWatch.ts';

export const LEVEL_FRACTION_METRIC = 'tradewire_cftc_position_level_ratio';

/**
 * Every position the monitor holds as a fraction of its CFTC reportable level (1: reportable),
 * read from the running monitor's book when scraped; absent while no monitor runs. Registered once
 * per registry: the monitor restarts with every lease, the gauge asks `watch` for the current one.
 */
export function registerLevelFractions(registry: Registry, watch: () => LevelWatch | null): void {
  if (registry.getSingleMetric(LEVEL_FRACTION_METRIC)) return;
  new Gauge({
    name: LEVEL_FRACTION_METRIC,
    help: "CFTC positions (net, long or short) as a fraction of their contract market's reportable level (17 CFR 15.03(b)), by account, symbol and contract month",
    labelNames: ['account', 'symbol', 'contract_month'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of watch()?.levelFractions() ?? []) this.set({ account: row.account, symbol: row.symbol, contract_month: row.contractMonth }, row.fraction);
    },
  });
}
