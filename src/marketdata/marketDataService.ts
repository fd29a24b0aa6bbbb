import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Logger } from '../log/logger.ts';
import type { EventBus } from '../supervision/eventBus.ts';
import type { ConflatedOutput } from './conflatedOutput.ts';
import { createEventBusOutput } from './eventBusOutput.ts';
import { InstrumentRegistry } from './instrumentRegistry.ts';
import type { MarketDataConfig } from './marketDataConfig.ts';
import { MarketDataEngine } from './marketDataEngine.ts';
import { registerMarketDataMetrics } from './marketDataMetrics.ts';
import { createRedisOutput } from './redisOutput.ts';
import { RejectStreamWriter } from './rejectStream.ts';
import type { Now } from '../shared/clock.ts';

/** The full Redis keys of the outputs (the config names them relative to the namespace). */
export interface MarketDataKeys {
  /** namespaceKeys().marketDataPrices(marketData.outputs.redis.key) */
  prices: string;
  /** namespaceKeys().marketDataRejects(marketData.rejects.streamKey) */
  rejects: string;
}

interface BaseOptions {
  config: MarketDataConfig;
  bus?: EventBus;
  metrics?: Registry;
  logger?: Logger;
  now?: Now;
}

/**
 * `redis` is for the rejects stream and, if configured, price publishing (without it neither runs);
 * it comes with the keys to write, so nothing lands outside the runtime's namespace.
 */
export type MarketDataServiceOptions = BaseOptions & ({ redis: Redis; keys: MarketDataKeys } | { redis?: undefined; keys?: undefined });

/**
 * The engine with everything the config asks for around it: the stale sweep, the conflated
 * event-bus and Redis outputs, the rejects stream and the metrics. Sources get `engine` as their
 * TickSink; `stop()` flushes what is pending.
 */
export class MarketDataService {
  readonly engine: MarketDataEngine;
  readonly instruments: InstrumentRegistry;
  readonly rejectWriter: RejectStreamWriter | undefined;
  private readonly outputs: ConflatedOutput[] = [];
  private started = false;

  constructor(private readonly options: MarketDataServiceOptions) {
    const { config, bus, redis, keys, logger } = options;
    this.instruments = InstrumentRegistry.fromConfig(config);
    this.engine = new MarketDataEngine({ config, instruments: this.instruments, logger, now: options.now });
    if (bus && config.outputs.eventBus.enabled) this.outputs.push(createEventBusOutput(this.engine, bus, config.outputs.eventBus.flushIntervalMs));
    if (redis && config.outputs.redis.mode !== 'off') {
      this.outputs.push(createRedisOutput(this.engine, redis, { ...config.outputs.redis, key: keys.prices, mode: config.outputs.redis.mode, logger }));
    }
    this.rejectWriter = redis
      ? new RejectStreamWriter(this.engine, redis, { key: keys.rejects, maxLen: config.rejects.streamMaxLen, flushIntervalMs: config.rejects.flushIntervalMs, logger })
      : undefined;
    if (options.metrics) registerMarketDataMetrics(options.metrics, this.engine, this.rejectWriter);
  }

  start(): void {
    this.started = true;
    this.engine.start();
    for (const output of this.outputs) output.start();
    this.rejectWriter?.start();
  }

  async stop(): Promise<void> {
    this.engine.stop();
    await Promise.all(this.outputs.map((output) => output.stop()));
    await this.rejectWriter?.stop();
  }
}
