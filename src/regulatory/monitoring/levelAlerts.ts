import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../log/logger.ts';
import type { LevelCrossing } from './levelWatch.ts';

export const LEVEL_ALERTS_METRIC = 'tradewire_regulatory_level_alerts_total';

/** Bus topics of the crossings, as subscribers (alerting, the strategy) see them. */
export const LEVEL_TOPICS = { reportable: 'regulatory.reportable', belowLevel: 'regulatory.below_level' } as const;

/** The crossings counter, registered once per registry (a restarted runtime reuses it). */
export function levelAlertCounter(registry: Registry): Counter<'kind' | 'market'> {
  const existing = registry.getSingleMetric(LEVEL_ALERTS_METRIC);
  if (existing) return existing as Counter<'kind' | 'market'>;
  return new Counter({
    name: LEVEL_ALERTS_METRIC,
    help: 'Reportable-level crossings (17 CFR 15.03(b)): kind reportable or belowLevel, by contract market',
    labelNames: ['kind', 'market'],
    registers: [registry],
  });
}

export interface LevelAlertSinks {
  logger: Logger;
  publish: (topic: string, payload: unknown) => void;
  counter: Counter<'kind' | 'market'>;
}

/**
 * What a crossing does: a warn line (compliance reads the log), a bus message and a count.
 * Crossings found by a (re)seed are a state found, not a move: they are logged at info only, so a
 * restart never alerts twice for the same crossing.
 */
export function announceCrossings(sinks: LevelAlertSinks, crossings: readonly LevelCrossing[], atSeed: boolean): void {
  for (const crossing of crossings) {
    const fields = {
      account: crossing.account,
      symbol: crossing.symbol,
      contractMonth: crossing.contractMonth,
      market: crossing.marketKey,
      commodity: crossing.commodity,
      level: crossing.level,
      net: crossing.net,
    };
    if (atSeed) {
      if (crossing.kind === 'reportable') sinks.logger.info('regulatory position reportable at start (broker positions)', fields);
      continue;
    }
    const text = crossing.kind === 'reportable' ? 'regulatory reportable level reached' : 'regulatory position dropped below its reportable level';
    sinks.logger.warn(text, fields);
    sinks.publish(LEVEL_TOPICS[crossing.kind], { kind: crossing.kind, ...fields });
    sinks.counter.inc({ kind: crossing.kind, market: crossing.marketKey });
  }
}
