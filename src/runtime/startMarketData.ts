import type { Config } from '../config/index.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { MarketDataService } from '../marketdata/marketDataService.ts';
import { registerMarketDataMetrics } from '../marketdata/marketDataMetrics.ts';
import { registerSourceMetrics } from '../marketdata/sources/sourceMetrics.ts';
import type { Runtime } from './runtime.ts';
import type { RuntimeResources } from './runtimeResources.ts';

/**
 * The market-data engine for `tradewire start`. It exists before the tree (its sources, built
 * with the tree, feed it) and learns the tree's bus and metrics once the runtime is up; order
 * actors read their collars and chase prices from it.
 */
export function startMarketData(config: Config, resources: RuntimeResources) {
  const ns = namespaceKeys(config.namespace);
  const keys = { prices: ns.marketDataPrices(config.marketData.outputs.redis.key), rejects: ns.marketDataRejects(config.marketData.rejects.streamKey) };
  const service = new MarketDataService({ config: config.marketData, redis: resources.redis, keys, logger: resources.logger });
  resources.marketData = service;
  service.start();
  return {
    service,
    attach(runtime: Runtime): void {
      service.publishTo(runtime.tree.services.bus);
      registerMarketDataMetrics(runtime.metricsRegistry, service.engine, service.rejectWriter);
      registerSourceMetrics(runtime.metricsRegistry, () => runtime.actorTree());
    },
    async stop(): Promise<void> {
      resources.marketData = null;
      await service.stop();
    },
  };
}
