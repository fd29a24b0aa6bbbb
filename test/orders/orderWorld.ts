import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createSilentLogger } from '../../src/log/logger.ts';
import { OrderService, type OrderServiceOptions } from '../../src/orders/orderService.ts';
import { ORDERS_SUPERVISOR_ID } from '../../src/orders/orderActorIds.ts';
import { createSupervisionServices } from '../../src/supervision/services.ts';
import { SupervisionTree } from '../../src/supervision/supervisionTree.ts';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import type { QuoteSource } from '../../src/machines/orders/algorithms/quotes.ts';
import type { SimulatorOptions, TwsSimulator } from '../../src/sim/index.ts';
import { tickSizeFor } from '../../src/instruments/defaultFutures.ts';
import { connectedSim } from '../ib/ibConnectionHarness.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

export type Cleanup = () => Promise<unknown> | unknown;

/**
 * The simulator's own market as a quote source (bid and ask one tick either side of the last
 * price, as it streams them), for order tests that need prices without the market-data stack.
 */
export function simulatorQuotes(sim: TwsSimulator): QuoteSource {
  return {
    touch(symbol) {
      const last = sim.price(symbol);
      const tick = tickSizeFor(symbol);
      return { bid: last - tick, ask: last + tick, last, tsMs: Date.now() };
    },
  };
}

export interface OrderWorldOptions {
  /**
   * The Redis URL of the world's connection (queue, store) and of every connection the order
   * services open themselves (default REDIS_URL): for example one that names its connections.
   */
  redisUrl?: string;
  /** Restart intensity of the orders supervisor in each service's tree (default 100). */
  supervisorIntensity?: number;
  /** The simulator's options, e.g. a hand-moved `clock` that puts it in a trading session. */
  simulator?: SimulatorOptions;
}

/**
 * One order "world" over real parts: the simulator over TCP, an IB connection, a supervision
 * tree with the orders supervisor, and order services on real Redis/BullMQ under a private prefix.
 */
export async function orderWorld(cleanups: Cleanup[], options: OrderWorldOptions = {}) {
  const { redisUrl = REDIS_URL, supervisorIntensity = 100, simulator = {} } = options;
  const { sim, gateway, conn } = await connectedSim(cleanups, 'ib connected', simulator);
  const redis = new Redis(redisUrl);
  const prefix = `test-orders-${Math.random().toString(36).slice(2)}`;
  const storePrefix = `${prefix}:store`;
  cleanups.push(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  const queue = new Queue('orders', { connection: redis, prefix });
  cleanups.push(() => queue.close());

  const startService = async (extra: Partial<OrderServiceOptions> = {}) => {
    const tree = new SupervisionTree({
      root: { children: [supervisor(ORDERS_SUPERVISOR_ID, { intensity: supervisorIntensity, children: [] })] },
      services: createSupervisionServices({ logger: createSilentLogger() }),
    }).start();
    const service = new OrderService({
      tree,
      session: conn.session,
      redis,
      redisUrl,
      logger: createSilentLogger(),
      prefix,
      storePrefix,
      auditKey: `${prefix}:audit`,
      connectionInfo: () => ({ clientId: 1, gateway: `${gateway.host}:${gateway.port}` }),
      timing: { ackTimeoutMs: 2_000, cancelTimeoutMs: 2_000 },
      ...extra,
    });
    await service.start();
    let stopped: Promise<void> | null = null;
    // Idempotent: a test may stop a service itself (a restart) and the cleanup stops it again.
    const stop = () =>
      (stopped ??= (async () => {
        await service.stop();
        tree.forceStop();
      })());
    cleanups.push(stop);
    return { tree, service, stop };
  };
  return { sim, gateway, conn, redis, queue, prefix, startService };
}

export const stateOf = async (service: OrderService, id: string) => (await service.store.load(id))?.state;

export async function waitForState(service: OrderService, id: string, states: string[], timeoutMs = 20_000): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  let state = await stateOf(service, id);
  while (!states.includes(state ?? '') && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    state = await stateOf(service, id);
  }
  return state;
}

/** A valid order job (a market buy of 2 ES) with any field overridden. */
export const orderJob = (clientOrderId: string, extra: Record<string, unknown> = {}) => ({
  clientOrderId,
  account: 'DU1234567',
  instrument: { symbol: 'ES', expiry: '202703' },
  side: 'BUY',
  quantity: 2,
  orderType: 'MKT',
  strategy: 'test',
  ...extra,
});
