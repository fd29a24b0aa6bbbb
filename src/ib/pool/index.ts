export { ConnectionPool, type ConnectionPoolOptions } from './connectionPool';
export { inTurnOrder, pickFastest, pickLeastBusy, pickRoundRobin, type Candidate } from './dataStrategies';
export { LatencyEwma } from './latencyEwma';
export {
  DATA_STRATEGIES,
  DEFAULT_POOL_CONFIG,
  parsePoolConfig,
  poolConfigSchema,
  type DataStrategy,
  type ParsePoolConfigOptions,
  type PoolConfig,
} from './poolConfig';
export { NoHealthyConnectionError, UnknownPoolMemberError } from './poolErrors';
export type { PoolMember } from './poolMember';
