import type { Contract, SecType } from '@stoqey/ib';
import type { IbSourceConfig } from '../sourceConfig.ts';

/** The contract requested for a symbol: the configured override, else a USD future of that symbol. */
export function contractFor(symbol: string, config: IbSourceConfig): Contract {
  const override = config.contracts[symbol];
  const { secType, ...rest } = override ?? { secType: 'FUT', exchange: '', currency: 'USD' };
  return { symbol, ...rest, secType: secType as SecType } as Contract;
}
