import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { ConsolidatedPrice } from './consolidatedPrices.ts';
import { ConflatedOutput } from './conflatedOutput.ts';
import type { MarketDataEngine } from './marketDataEngine.ts';

export interface RedisOutputOptions {
  mode: 'stream' | 'pubsub';
  /** Stream key, or the channel prefix: prices go to `<key>:<symbol>`. */
  key: string;
  conflateMs: number;
  streamMaxLen: number;
  logger?: Logger;
}

/** The fields of a price in a stream entry or pub/sub message. */
export function priceFields(price: ConsolidatedPrice): string[] {
  return [
    'symbol', price.symbol,
    'price', String(price.price),
    'bid', String(price.bid),
    'ask', String(price.ask),
    'tsMs', String(price.tsMs),
    'confidence', String(price.confidence),
    'sourceCount', String(price.sourceCount),
    'oldestAgeMs', String(price.oldestAgeMs),
    'method', price.method,
  ];
}

/**
 * Publishes consolidated prices to Redis for other processes, conflated like the bus: either as
 * entries of one capped stream (replayable) or as JSON on `<key>:<symbol>` channels (fire and
 * forget). One pipeline per flush.
 */
export function createRedisOutput(engine: MarketDataEngine, redis: Redis, options: RedisOutputOptions): ConflatedOutput {
  const deliver = async (prices: ConsolidatedPrice[]): Promise<void> => {
    const pipeline = redis.pipeline();
    for (const price of prices) {
      if (options.mode === 'stream') pipeline.xadd(options.key, 'MAXLEN', '~', options.streamMaxLen, '*', ...priceFields(price));
      else pipeline.publish(`${options.key}:${price.symbol}`, JSON.stringify(price));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  };
  return new ConflatedOutput(engine, options.conflateMs, deliver, (error) => options.logger?.warn('market data: publishing prices to Redis failed', { error }));
}
