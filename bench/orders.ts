/**
 * The order path end to end through the simulator (pacing off unless measuring it):
 * orders_per_s against bullmq_noop_per_s in the same run, the same again with tracing on
 * (orders_per_s_traced, spans sent to an OTLP/HTTP sink in this process), routing latency at
 * 200 orders/s, and the outbound rate with pacing at 45 msg/s.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createActor } from 'xstate';
import type { IBApi } from '@stoqey/ib';
import { createSilentLogger } from '../src/log/logger.ts';
import { createIbConnection } from '../src/actors/ib/ibConnection.ts';
import type { IbConnectionInput } from '../src/machines/ib/ibConnectionTypes.ts';
import { OrderService } from '../src/orders/orderService.ts';
import { ORDERS_SUPERVISOR_ID } from '../src/orders/orderActorIds.ts';
import { OrderIntake } from '../src/orders/orderIntake.ts';
import { freePort } from '../src/runtime/freePort.ts';
import { spawnTradewire } from '../chaos/_process.ts';
import { createSupervisionServices } from '../src/supervision/services.ts';
import { SupervisionTree } from '../src/supervision/supervisionTree.ts';
import { supervisor } from '../src/supervision/supervisorLogic.ts';
import { percentile, progress, round } from './_stats.ts';
import { benchOrderJob, until } from './_orderLoad.ts';
import { queueTelemetry, startTracing } from '../src/tracing/index.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TIMING: IbConnectionInput['timing'] = {
  connectTimeoutMs: 2_000,
  handshakeTimeoutMs: 2_000,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 5_000,
  stableAfterMs: 60_000,
  failoverAfterAttempts: 3,
  primaryProbeIntervalMs: 60_000,
};


export async function world(paced: boolean) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `bench-orders-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  // The gateway is another process, as IB Gateway is: the two cores are shared as in production.
  const port = await freePort();
  const sim = spawnTradewire(['sim', '--port', String(port), '--tick-interval-ms', '0', '--no-pacing'], { TRADEWIRE_LOG_LEVEL: 'info' });
  await sim.waitFor(/sim listening/);
  const input: IbConnectionInput = { gateways: [{ host: '127.0.0.1', port }], clientIds: [1], timing: TIMING, backoff: { minMs: 50, maxMs: 500, jitter: 0 } };
  const { machine, session } = createIbConnection({
    systemId: 'ib',
    input,
    redis,
    logger: createSilentLogger(),
    orderIdKey: `${prefix}:oid`,
    pacing: { ratePerSecond: 45, burst: 5, paced },
  });
  const connection = createActor(machine, { input }).start();
  await until(() => session.online);
  const tree = new SupervisionTree({
    root: { children: [supervisor(ORDERS_SUPERVISOR_ID, { intensity: 1_000_000, children: [] })] },
    services: createSupervisionServices({ logger: createSilentLogger() }),
  }).start();
  const service = new OrderService({
    tree,
    session,
    redis,
    redisUrl: REDIS_URL,
    logger: createSilentLogger(),
    prefix,
    storePrefix: `${prefix}:store`,
    auditKey: `${prefix}:audit`,
    concurrency: 100,
    limits: { maxOrderSize: { '*': 1_000 }, positionLimit: { '*': 1_000_000 } },
  });
  await service.start();
  // Traced, the producer's add is a span too, as the admin API's is.
  const queue = new Queue('orders', { connection: redis, prefix, ...queueTelemetry() });
  let filled = 0;
  tree.services.bus.subscribe('order.filled', () => void (filled += 1));
  return {
    redis,
    prefix,
    session,
    queue,
    service,
    filled: () => filled,
    async close() {
      await service.stop();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      tree.forceStop();
      connection.stop();
      sim.child.kill('SIGTERM');
      await sim.exited;
      const keys = await redis.keys(`${prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
    },
  };
}

export async function ordersPerSecond(count: number): Promise<number> {
  const w = await world(false);
  try {
    const started = performance.now();
    const jobs = Array.from({ length: count }, (_, i) => ({ name: 'o', data: benchOrderJob(`b-${i}`, i), opts: { priority: 40 } }));
    for (let i = 0; i < jobs.length; i += 500) await w.queue.addBulk(jobs.slice(i, i + 500));
    await until(async () => w.filled() >= count && (await w.queue.getCompletedCount()) >= count);
    return (count / (performance.now() - started)) * 1_000;
  } finally {
    await w.close();
  }
}

/** The end-to-end run with tracing on: every span exported over OTLP/HTTP (JSON) to a sink that reads and drops it. */
export async function tracedOrdersPerSecond(count: number): Promise<number> {
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const { port } = sink.address() as AddressInfo;
  const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_SERVICE_NAME: 'tradewire-bench' }, createSilentLogger());
  try {
    return await ordersPerSecond(count);
  } finally {
    await tracing.stop();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}

export async function noopPerSecond(count: number): Promise<number> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `bench-noop-${Date.now().toString(36)}`;
  const queue = new Queue('noop', { connection: redis, prefix });
  const worker = new Worker('noop', async () => undefined, { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix, concurrency: 100 });
  try {
    const started = performance.now();
    const jobs = Array.from({ length: count }, (_, i) => ({ name: 'n', data: benchOrderJob(`n-${i}`, i), opts: { priority: 40 } }));
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    await until(async () => (await queue.getCompletedCount()) >= count);
    return (count / (performance.now() - started)) * 1_000;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  }
}

/** Job pickup to the placeOrder bytes written, at a steady 200 orders/s. */
export async function routeLatency(count: number): Promise<number[]> {
  const w = await world(false);
  const pickedAt = new Map<string, number>();
  const latencies: number[] = [];
  // The Worker hands each job to the intake: the moment it does is when the order was picked up.
  const process = OrderIntake.prototype.process;
  OrderIntake.prototype.process = function (job, token) {
    pickedAt.set((job.data as { clientOrderId: string }).clientOrderId, performance.now());
    return process.call(this, job, token);
  };
  const enqueue = w.session.enqueue.bind(w.session);
  w.session.enqueue = (priority, message) =>
    enqueue(priority, (api: IBApi) => {
      const proxy = new Proxy(api, {
        get(target, key, receiver) {
          if (key !== 'placeOrder') return Reflect.get(target, key, receiver);
          return (id: number, contract: unknown, order: { orderRef?: string }) => {
            const result = (target.placeOrder as (...a: unknown[]) => unknown).call(target, id, contract, order);
            const picked = order.orderRef ? pickedAt.get(order.orderRef) : undefined;
            if (picked !== undefined) latencies.push(performance.now() - picked);
            return result;
          };
        },
      });
      message(proxy);
    });
  try {
    for (let i = 0; i < count; i += 1) {
      await w.queue.add('o', benchOrderJob(`r-${i}`, i), { priority: 40 });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => latencies.length >= count);
    return latencies.sort((a, b) => a - b);
  } finally {
    OrderIntake.prototype.process = process;
    await w.close();
  }
}

/** Outbound messages per second beyond the burst allowance, with pacing on at 45 msg/s. */
export async function pacedRate(count: number): Promise<number> {
  const w = await world(true);
  const sentAt: number[] = [];
  const off = w.session.onSent((at) => sentAt.push(at));
  try {
    const jobs = Array.from({ length: count }, (_, i) => ({ name: 'o', data: benchOrderJob(`p-${i}`, i), opts: { priority: 40 } }));
    await w.queue.addBulk(jobs);
    await until(() => w.filled() >= count);
    off();
    // A token bucket allows at most burst + rate × T messages in any span T, so this is the rate.
    const burst = 5;
    return ((sentAt.length - burst) / (sentAt.at(-1)! - sentAt[0]!)) * 1_000;
  } finally {
    await w.close();
  }
}

export async function run({ quick }: { quick: boolean }) {
  const count = quick ? 2_000 : 10_000;
  progress(`bullmq no-op: ${count} jobs`);
  const noop = await noopPerSecond(count);
  progress(`orders end to end: ${count} MKT orders`);
  const orders = await ordersPerSecond(count);
  progress(`orders end to end, traced: ${count} MKT orders`);
  const traced = await tracedOrdersPerSecond(count);
  progress(`routing latency at 200 orders/s`);
  const route = await routeLatency(quick ? 400 : 2_000);
  progress('outbound rate with pacing at 45 msg/s');
  const paced = await pacedRate(quick ? 120 : 300);
  return {
    orders_per_s: Math.round(orders),
    bullmq_noop_per_s: Math.round(noop),
    ratio: round(orders / noop, 3),
    route_p50_ms: round(percentile(route, 50), 3),
    route_p99_ms: round(percentile(route, 99), 3),
    paced_rate: round(paced, 2),
    orders_per_s_traced: Math.round(traced),
  };
}
