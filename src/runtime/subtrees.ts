import type { SubtreeFactory } from './mainTree.ts';
import { brokerSubtree } from './brokerSubtree.ts';
import { ordersSubtree } from './ordersRuntime.ts';
import { marketDataSubtree } from './marketDataRuntime.ts';
import { reportsSubtree } from './reportsRuntime.ts';
import { regulatorySubtree } from './regulatoryRuntime.ts';

/** Market-data sources under their supervisor, feeding the runtime's engine (none configured: no subtree). */
const marketData: SubtreeFactory = (config, resources) => {
  const service = resources.marketData;
  if (!service || config.marketData.sources.length === 0) return null;
  return marketDataSubtree({
    sources: config.marketData.sources,
    sink: service.engine,
    index: service.instruments,
    logger: resources.logger,
    ibSessions: resources.ibSessions,
  });
};

/** The capabilities `tradewire start` runs after infrastructure, in start order. */
export const defaultSubtrees: SubtreeFactory[] = [brokerSubtree, marketData, ordersSubtree, regulatorySubtree, reportsSubtree];
