export { AdaptiveRate, DEFAULT_ADAPTIVE_RATE, type AdaptiveRateConfig } from './adaptiveRate.ts';
export {
  DEFAULT_HISTORICAL_PACING,
  HistoricalPacing,
  identicalRequestKey,
  sameContractKey,
  type HistoricalPacingConfig,
  type HistoricalPacingRule,
  type HistoricalRequest,
  type PacingDecision,
} from './historicalPacing.ts';
export { OUTBOUND_PRIORITIES, OutboundQueue, type OutboundPriority } from './outboundQueue.ts';
export { RingQueue } from './ringQueue.ts';
export { DEFAULT_TOKEN_BUCKET, IB_MAX_MESSAGES_PER_SECOND, TokenBucket, type TokenBucketConfig } from './tokenBucket.ts';
