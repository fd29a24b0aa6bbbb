import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/logger.ts';
import type { MarketDataService } from '../../marketdata/marketDataService.ts';
import type { ChildSpec } from '../../supervision/childSpec.ts';
import type { BrokerSessions } from './broker.ts';
import type { Capability } from './capability.ts';
import type { ContractResolver } from '../../contracts/index.ts';
import { marketDataSubtree } from './marketDataSubtree.ts';

export interface MarketDataCapabilityDeps {
  config: Config;
  /** The engine runs on every node (order collars read it); only its sources run on the active one. */
  service: MarketDataService;
  /** For `kind: ib` sources: the sessions of the broker's current start. */
  broker: BrokerSessions;
  /** The month IB sources subscribe in and roll to. */
  contracts?: ContractResolver;
  /** The event bus, for `market_data.roll`. */
  publish?: (topic: string, payload: unknown) => void;
  logger: Logger;
}

/** Market-data sources under their supervisor, feeding the node's engine (none configured: no subtree). */
export class MarketDataCapability implements Capability {
  readonly name = 'marketData';

  constructor(private readonly deps: MarketDataCapabilityDeps) {}

  childSpec(): ChildSpec | null {
    const { config, service, broker, logger, contracts, publish } = this.deps;
    return marketDataSubtree({
      sources: config.marketData.sources,
      sink: service.engine,
      index: service.instruments,
      logger,
      ibSessions: broker.sessions,
      ...(contracts ? { contracts } : {}),
      ...(publish ? { publish } : {}),
    });
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
