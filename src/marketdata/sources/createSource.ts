import type { IbSession } from '../../ib/session/ibSession.ts';
import type { ContractResolver } from '../../contracts/index.ts';
import { customSource } from './custom/customSource.ts';
import { ibSource } from './ib/ibSource.ts';
import type { MarketDataSource } from './marketDataSource.ts';
import { replaySource } from './replay/replaySource.ts';
import type { SourceConfig } from './sourceConfig.ts';
import { syntheticSource } from './synthetic/syntheticSource.ts';

export interface SourceDependencies {
  /** IB sessions by connection systemId (the broker capability's). */
  ibSessions: ReadonlyMap<string, IbSession>;
  /** Which contract month IB sources subscribe in (and roll to); absent, symbols are requested as configured. */
  contracts?: ContractResolver;
  /** The event bus, for `market_data.roll`. */
  publish?: (topic: string, payload: unknown) => void;
}

/** A fresh MarketDataSource for one incarnation of the configured source. */
export function createSource(config: SourceConfig, dependencies: SourceDependencies): MarketDataSource {
  switch (config.kind) {
    case 'ib':
      return ibSource(config, () => dependencies.ibSessions.get(config.connection), {
        ...(dependencies.contracts ? { contracts: dependencies.contracts } : {}),
        ...(dependencies.publish ? { publish: dependencies.publish } : {}),
      });
    case 'replay':
      return replaySource(config);
    case 'synthetic':
      return syntheticSource(config);
    case 'custom':
      return customSource(config);
  }
}
