import type { Broker } from '../broker/broker.ts';
import type { SimOrder } from '../broker/types.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../log/logger.ts';
import type { ConnectionLedger } from '../ledger/connectionLedger.ts';
import type { MessageLedger } from '../ledger/messageLedger.ts';
import type { InstrumentCatalogue } from '../../instruments/catalogue.ts';
import type { PriceFeed } from '../market/priceFeed.ts';
import type { SimulatorConfig } from '../options.ts';
import type { Session } from './session.ts';

/** Mutable fault switches consulted on the I/O and streaming paths. */
export interface FaultState {
  halfOpen: boolean;
  /** 1100 sent and not yet restored. */
  connectivityLost: boolean;
  dataFarmBroken: boolean;
  delayMs: number;
  duplicateNextExecution: boolean;
}

/** Everything a session and the request handlers share. */
export interface SimContext {
  readonly config: SimulatorConfig;
  readonly catalogue: InstrumentCatalogue;
  readonly feed: PriceFeed;
  readonly broker: Broker;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly faults: FaultState;
  readonly accountIds: readonly string[];
  /** Sessions past startApi, by client id. */
  readonly readySessions: Map<number, Session>;
  /** Every connection, with its client id and open/close times. */
  readonly connections: ConnectionLedger;
  /** Every order-affecting message, with who sent it and its outcome. */
  readonly messages: MessageLedger;
  /** Brings the listing and sessions up to the clock (a comparison unless a minute boundary passed). */
  readonly followCalendar: () => void;
  /** When each filled or cancelled order reached its final state (epoch ms), for reqCompletedOrders. */
  readonly completedAt: WeakMap<SimOrder, number>;
}
