import { fromCallback, fromPromise, type AnyStateMachine } from 'xstate';
import { circuitBreakerDefaults } from './circuitBreaker/config';
import { createCircuitBreakerMachine } from './circuitBreakerMachine';
import { createRedisLinkMachine } from './redisLinkMachine';
import { createSimulatorMachine } from './simulatorMachine';
import { createIbConnectionMachine } from './ibConnection/ibConnectionMachine';
import { createOrderMachine } from './order/orderMachine';
import { createLimitChaseMachine } from './order/algorithms/limitChaseMachine';
import { twapMachine } from './order/algorithms/twapMachine';
import { reporterGraphMachine } from './reporter/reporterGraph';
import { createSourceMachine } from './marketData/sourceMachine';
import { createMonitorMachine } from './regulatory/monitorMachine';

/**
 * Every machine tradewire ships, by the name `tradewire graph <name>` takes. The graphs
 * need only the machine's shape, so I/O actors are replaced by inert ones here.
 */
const inert = fromCallback(() => () => {});
const inertPromise = fromPromise(() => new Promise<never>(() => {}));

export const machineCatalog: Record<string, () => AnyStateMachine> = {
  'redis-link': () => createRedisLinkMachine(inert),
  'circuit-breaker': () => createCircuitBreakerMachine(circuitBreakerDefaults),
  'tws-simulator': () => createSimulatorMachine(inert),
  'ib-connection': () => createIbConnectionMachine({ client: inert, probe: inert }),
  order: () => createOrderMachine({ submit: inert, cancel: inert, lookup: inert, modify: inert, chase: inert, twap: inert, marginCheck: inert }),
  'limit-chase': () => createLimitChaseMachine({ readTouch: inert }),
  twap: () => twapMachine,
  reporter: () => reporterGraphMachine(),
  'market-data-source': () => createSourceMachine({ feed: inert, reportHealth: () => {} }),
  'regulatory-monitor': () => createMonitorMachine({ actors: { seed: inertPromise, closeDay: inertPromise, closeTimer: inert } as never, announce: () => {} }),
};
