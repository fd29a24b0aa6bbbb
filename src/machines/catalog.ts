import { fromCallback, fromPromise, type AnyStateMachine } from 'xstate';
import { circuitBreakerDefaults } from './circuitBreaker/config.ts';
import { createCircuitBreakerMachine } from './circuitBreaker/circuitBreakerMachine.ts';
import { createRedisLinkMachine } from './redisLink/redisLinkMachine.ts';
import { createSimulatorMachine } from './sim/simulatorMachine.ts';
import { createIbConnectionMachine } from './ib/ibConnectionMachine.ts';
import { createOrderMachine, type OrderEffects } from './orders/orderMachine.ts';
import { createLimitChaseMachine } from './orders/algorithms/limitChaseMachine.ts';
import { twapMachine } from './orders/algorithms/twapMachine.ts';
import { reporterGraphMachine } from './regulatory/reporter/reporterGraph.ts';
import { createSourceMachine } from './marketdata/sourceMachine.ts';
import { createMonitorMachine } from './regulatory/monitor/monitorMachine.ts';

/**
 * Every machine tradewire ships, by the name `tradewire graph <name>` takes. The graphs
 * need only the machine's shape, so I/O actors are replaced by inert ones here.
 */
const inert = fromCallback(() => () => {});
const inertPromise = fromPromise(() => new Promise<never>(() => {}));
const inertOrderEffects: OrderEffects = {
  canSendOrders: () => true,
  checkOrder: () => null,
  checkModify: () => [],
  modifyRefused: () => {},
  persist: () => {},
  issueSlice: () => {},
  cancelSlices: () => {},
};

export const machineCatalog: Record<string, () => AnyStateMachine> = {
  'redis-link': () => createRedisLinkMachine(inert),
  'circuit-breaker': () => createCircuitBreakerMachine(circuitBreakerDefaults),
  'tws-simulator': () => createSimulatorMachine(inert),
  'ib-connection': () => createIbConnectionMachine({ client: inert, probe: inert }),
  order: () => createOrderMachine({ submit: inert, cancel: inert, lookup: inert, modify: inert, chase: inert, twap: inert, marginCheck: inert }, inertOrderEffects),
  'limit-chase': () => createLimitChaseMachine({ readTouch: inert }),
  twap: () => twapMachine,
  reporter: () => reporterGraphMachine(),
  'market-data-source': () => createSourceMachine({ feed: inert, reportHealth: () => {} }),
  'regulatory-monitor': () => createMonitorMachine({ actors: { seed: inertPromise, closeDay: inertPromise, closeTimer: inert } as never, announce: () => {} }),
};
