import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { QuoteSource } from '../machines/orders/algorithms/quotes.ts';
import { MarketDataService } from '../marketdata/marketDataService.ts';
import { registerSourceMetrics } from '../marketdata/sources/sourceMetrics.ts';
import type { NamespaceKeys } from '../redis/namespaceKeys.ts';
import type { NodeTree } from './nodeTree.ts';

/**
 * The market-data engine of `tradewire start`, on every node: order collars and chasing read its
 * prices (`quotes`); the market-data capability's sources feed it while this node is active.
 */
export function startMarketDataEngine(config: Config, node: NodeTree, redis: Redis, keys: NamespaceKeys, logger: Logger): { service: MarketDataService; quotes: QuoteSource } {
  const service = new MarketDataService({
    config: config.marketData,
    bus: node.tree.services.bus,
    metrics: node.metrics.registry,
    redis,
    keys: { prices: keys.marketDataPrices(config.marketData.outputs.redis.key), rejects: keys.marketDataRejects(config.marketData.rejects.streamKey) },
    logger,
  });
  registerSourceMetrics(node.metrics.registry, () => node.actorTree());
  service.start();
  const quotes: QuoteSource = {
    touch: (symbol) => {
      const price = service.engine.touch(symbol);
      return price ? { bid: price.bid, ask: price.ask, last: price.price, tsMs: price.tsMs } : null;
    },
  };
  return { service, quotes };
}
