import type { Redis } from 'ioredis';
import type { ContractDetails } from '@stoqey/ib';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/logger.ts';
import { ContractDetailsCache, ReferenceDataService } from '../../ib/referenceData/index.ts';
import { ContractResolver, type ContractCalendar } from '../../contracts/index.ts';
import { futuresCalendar } from '../../instruments/calendar/index.ts';
import type { BrokerSessions } from './broker.ts';
import { IB_CONNECTION_ID } from './ibConnectionChild.ts';
import type { BrokerClock } from '../../ib/session/brokerClock.ts';

export interface ContractResolutionDeps {
  /** The namespace (reference-data cache keys) and the contract policies (`marketData.contracts`). */
  config: { namespace: string; marketData?: Pick<Config['marketData'], 'contracts'> };
  redis: Redis;
  broker: Pick<BrokerSessions, 'session'>;
  logger: Logger;
  /** The futures calendar (business days, first notice); default the product table's. For a symbol it does not know, rules count calendar days from the last trade date. */
  calendar?: ContractCalendar;
}

/**
 * The process's one ContractResolver: market-data subscriptions and rolls, orders without an
 * expiry and both position books ask it, so they agree on every month. Listings come from IB's
 * contract details through the reference-data cache (memory, then Redis); its clock is the
 * broker's (the `ib` connection's currentTime), so the simulator's clock drives rolls in tests.
 */
export function contractResolution(deps: ContractResolutionDeps): { resolver: ContractResolver; referenceData: ReferenceDataService } {
  const cache = new ContractDetailsCache<ContractDetails[]>({ redis: deps.redis, namespace: deps.config.namespace, logger: deps.logger });
  const referenceData = new ReferenceDataService(() => deps.broker.session(IB_CONNECTION_ID), cache);
  // The last session's clock keeps its offset while the connection is down (a new start learns it again at connect).
  let lastClock: { now(): number } | undefined;
  const now = () => {
    const clock = deps.broker.session(IB_CONNECTION_ID)?.brokerClock;
    if (clock?.synchronised) lastClock = clock;
    return (lastClock ?? Date).now();
  };
  const resolver = new ContractResolver({
    listing: (symbol, at) => referenceData.futuresOf(symbol, at),
    now,
    // A clock already learnt (this session's, or the last one's offset) is good enough to choose by.
    ready: () => (lastClock ? Promise.resolve() : brokerClockReady(deps.broker.session(IB_CONNECTION_ID)?.brokerClock)),
    ...(deps.config.marketData?.contracts ? { policies: deps.config.marketData.contracts } : {}),
    calendar: deps.calendar ?? futuresCalendar,
  });
  return { resolver, referenceData };
}

/** How long a choice waits for the broker's first currentTime (asked at connect) before using the local clock. */
const BROKER_CLOCK_WAIT_MS = 2_000;

/** One bounded wait per clock, shared by every choice made meanwhile. */
const clockWaits = new WeakMap<BrokerClock, Promise<void>>();

function brokerClockReady(clock: BrokerClock | undefined): Promise<void> {
  if (!clock || clock.synchronised) return Promise.resolve();
  let wait = clockWaits.get(clock);
  if (!wait) {
    wait = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, BROKER_CLOCK_WAIT_MS);
      timer.unref?.();
      void clock.whenSynchronised().then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    clockWaits.set(clock, wait);
  }
  return wait;
}
