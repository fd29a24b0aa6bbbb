export { ConnectionPool, type ConnectionPoolOptions } from './connectionPool.ts';
export { inTurnOrder, pickFastest, pickLeastBusy, pickRoundRobin, type Candidate } from './dataStrategies.ts';
export { LatencyEwma } from './latencyEwma.ts';
export {
  DATA_STRATEGIES,
  DEFAULT_POOL_CONFIG,
  parsePoolConfig,
  poolConfigSchema,
  type DataStrategy,
  type ParsePoolConfigOptions,
  type PoolConfig,
} from './poolConfig.ts';
export { NoHealthyConnectionError, UnknownPoolMemberError } from './poolErrors.ts';
export type { PoolMember } from './poolMember.ts';
