import type { IbSession } from '../../ib/session/ibSession';
import { customSource } from './custom/customSource';
import { ibSource } from './ib/ibSource';
import type { MarketDataSource } from './marketDataSource';
import { replaySource } from './replay/replaySource';
import type { SourceConfig } from './sourceConfig';
import { syntheticSource } from './synthetic/syntheticSource';

export interface SourceDependencies {
  /** IB sessions by connection systemId (RuntimeResources.ibSessions). */
  ibSessions: ReadonlyMap<string, IbSession>;
}

/** A fresh MarketDataSource for one incarnation of the configured source. */
export function createSource(config: SourceConfig, dependencies: SourceDependencies): MarketDataSource {
  switch (config.kind) {
    case 'ib':
      return ibSource(config, () => dependencies.ibSessions.get(config.connection));
    case 'replay':
      return replaySource(config);
    case 'synthetic':
      return syntheticSource(config);
    case 'custom':
      return customSource(config);
  }
}
