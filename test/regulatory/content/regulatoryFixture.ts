import { loadLevelConfig, type LevelConfig } from '../../../src/regulatory/cftc/levels/loadLevelConfig.ts';
import type { ContractPosition } from '../../../src/regulatory/cftc/positions/contractPosition.ts';
import { DEMO_REGULATORY_CONFIG } from '../../../src/regulatory/regulatoryConfig.ts';

/** The level table and instrument map as shipped in config/regulatory. */
export function shippedLevelConfig(): LevelConfig {
  return loadLevelConfig(DEMO_REGULATORY_CONFIG.levelsPath, DEMO_REGULATORY_CONFIG.instrumentMapPath);
}

export function position(account: string, symbol: string, contractMonth: string, net: number): ContractPosition {
  return { account, symbol, contractMonth, net };
}
