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
import { createLeaseMachine } from './lease/leaseMachine.ts';

// The drawings need only a machine's shape, so its I/O actors are replaced by inert ones.
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

/**
 * The `kind`s of the supervision tree's nodes (`GET /actors`) that run each machine, so a viewer
 * can draw an actor's machine. The algorithms and the reporter run inside other actors (an
 * order's invoke, a report job), never as a node of the tree.
 */
export const machineKinds = {
  'redis-link': ['redis-link'],
  // The market-data sources' breakers and each jurisdiction's report transport breaker.
  'circuit-breaker': ['circuit-breaker'],
  'tws-simulator': ['tws-simulator'],
  'ib-connection': ['ib-connection'],
  order: ['order'],
  'limit-chase': [],
  twap: [],
  reporter: [],
  // `market-data-source:<source kind>`, one per kind of source config.
  'market-data-source': ['market-data-source:ib', 'market-data-source:replay', 'market-data-source:synthetic', 'market-data-source:custom'],
  'regulatory-monitor': ['regulatory-monitor'],
  lease: ['lease'],
} as const satisfies Record<string, readonly string[]>;

export type MachineName = keyof typeof machineKinds;

/** Every machine tradewire ships, by the name `tradewire graph <name>` and `GET /machines` take. */
const catalog: Record<MachineName, () => AnyStateMachine> = {
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
  lease: () => createLeaseMachine({ awaitLease: inert, holdLease: inert, startCapabilities: inertPromise, stopCapabilities: inertPromise }),
};

export const machineCatalog: Record<string, () => AnyStateMachine> = catalog;
