import type { Redis } from 'ioredis';
import { PACKAGE_ROOT } from '../../packageRoot.ts';
import type { Config } from '../../config/index.ts';
import { CftcReportEngine } from '../../regulatory/cftc/cftcReportEngine.ts';
import { loadLevelConfig, type LevelConfig } from '../../regulatory/cftc/levels/loadLevelConfig.ts';
import { regulatoryMonitorConfigOf } from '../../regulatory/monitoring/monitoringConfig.ts';
import type { Jurisdiction, ReportEngine } from '../../regulatory/reportTypes.ts';
import { RedisPositionSource } from '../../regulatory/sources/redisPositionSource.ts';
import { namespaceKeys } from '../../redis/namespaceKeys.ts';

/** What the regulatory capabilities read of the configuration (their keys are under `namespace`). */
export type RegulatoryHostConfig = Pick<Config, 'namespace' | 'supervision' | 'regulatory'> & {
  regulatoryMonitor?: unknown;
  /** audit.retention.retentionYears bounds how old a closed day may be (5 years when absent). */
  audit?: { retention: { retentionYears: number } };
};

/** The reportable levels and instrument map; config paths such as `config/regulatory/...` are relative to the package root, not to the cwd. */
export function levelConfigOf(config: RegulatoryHostConfig, packageRoot = PACKAGE_ROOT): LevelConfig {
  return loadLevelConfig(config.regulatory.levelsPath, config.regulatory.instrumentMapPath, packageRoot);
}

/** The close-of-day positions the monitor writes and the CFTC report reads, under the namespace. */
export function regulatoryPositions(config: RegulatoryHostConfig, redis: Redis): RedisPositionSource {
  const monitor = regulatoryMonitorConfigOf(config.regulatoryMonitor);
  return new RedisPositionSource(redis, namespaceKeys(config.namespace).regulatoryPositions(monitor?.keyPrefix));
}

/** The report engines by jurisdiction: CFTC, over the Redis close-of-day positions. */
export function reportEngines(config: RegulatoryHostConfig, redis: Redis, packageRoot = PACKAGE_ROOT): Map<Jurisdiction, ReportEngine> {
  const engine = new CftcReportEngine({ config: config.regulatory, levelConfig: levelConfigOf(config, packageRoot), positions: regulatoryPositions(config, redis) });
  return new Map<Jurisdiction, ReportEngine>([['CFTC', engine]]);
}
