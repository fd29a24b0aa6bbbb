/**
 * Crash safety of the order path: the runtime runs as a child process against a standalone
 * simulator, orders stream into the `orders` queue, and the runtime is killed with SIGKILL at
 * random moments and restarted. At the end the broker's own executions are compared with what
 * was asked: nothing lost, nothing sent twice, nothing unexplained.
 */
import { EventName, IBApi } from '@stoqey/ib';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { OrderStore } from '../src/orders/orderStore.ts';
import { namespaceKeys } from '../src/redis/namespaceKeys.ts';
import { freePort } from '../src/runtime/freePort.ts';
import { spawnTradewire, type Spawned } from './_process.ts';
import { writeChaosConfig } from './_runtimeConfig.ts';
import { CHAOS_EXPIRY, CHAOS_SYMBOLS } from './_instruments.ts';
import { PrivateRedis } from './_redisServer.ts';

export interface ChaosOptions {
  orders: number;
  kills: number;
  /**
   * A Redis database of its own: it is flushed before and after. Without one, the run starts a
   * private, persistent `redis-server` (the runtime refuses volatile Redis in broker mode `ib`).
   */
  redisUrl?: string;
  log?: (line: string) => void;
  settleTimeoutMs?: number;
}

export interface ChaosResult {
  orders: number;
  kills: number;
  lost: number;
  duplicated: number;
  unexplained: number;
  [key: string]: number;
}

interface BrokerView {
  /** orderRef -> distinct broker order ids seen for it (executions and open orders). */
  orderIds: Map<string, Set<number>>;
  executed: Map<string, number>;
}

async function brokerView(port: number): Promise<BrokerView> {
  const ib = new IBApi({ host: '127.0.0.1', port, maxReqPerSec: 1_000 });
  const orderIds = new Map<string, Set<number>>();
  const executed = new Map<string, number>();
  const note = (ref: string | undefined, id: number | undefined) => {
    if (!ref || id === undefined) return;
    if (!orderIds.has(ref)) orderIds.set(ref, new Set());
    orderIds.get(ref)!.add(id);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('checker could not connect to the simulator')), 10_000);
    ib.once(EventName.nextValidId, () => {
      clearTimeout(timer);
      resolve();
    });
    ib.connect(90);
  });
  await new Promise<void>((resolve) => {
    ib.on(EventName.execDetails, (_req: number, _c: unknown, e: { orderRef?: string; orderId?: number; shares?: number }) => {
      note(e.orderRef, e.orderId);
      if (e.orderRef) executed.set(e.orderRef, (executed.get(e.orderRef) ?? 0) + (e.shares ?? 0));
    });
    ib.once(EventName.execDetailsEnd, () => resolve());
    ib.reqExecutions(1, {});
  });
  await new Promise<void>((resolve) => {
    ib.on(EventName.openOrder, (id: number, _c: unknown, order: { orderRef?: string }) => note(order.orderRef, id));
    ib.once(EventName.openOrderEnd, () => resolve());
    ib.reqAllOpenOrders();
  });
  ib.disconnect();
  return { orderIds, executed };
}

export async function runOrderChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => {});
  const privateRedis = options.redisUrl ? null : await PrivateRedis.start();
  const redisUrl = options.redisUrl ?? privateRedis!.url;
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  const simPort = await freePort();
  const sim = spawnTradewire(['sim', '--port', String(simPort), '--tick-interval-ms', '100', '--no-pacing'], { TRADEWIRE_LOG_LEVEL: 'info' });
  let runtime: Spawned | null = null;
  const queue = new Queue('orders', { connection: redis, prefix: namespaceKeys().bullPrefix });
  try {
    await sim.waitFor(/sim listening/);
    const file = writeChaosConfig(simPort);
    const env = { REDIS_URL: redisUrl, TRADEWIRE_CONFIG: file, TRADEWIRE_ADMIN_PORT: '0', TRADEWIRE_LOG_LEVEL: 'warn' };
    const startRuntime = async () => {
      runtime = spawnTradewire(['start'], { ...env, TRADEWIRE_LOG_LEVEL: 'info' });
      await runtime.waitFor(/"message":"ready"/);
    };
    await startRuntime();

    const requested = new Map<string, number>();
    const batch = 20;
    const killEvery = Math.max(1, Math.floor(options.orders / (options.kills + 1)));
    let kills = 0;
    for (let sent = 0; sent < options.orders; sent += batch) {
      const jobs = [];
      for (let i = sent; i < Math.min(options.orders, sent + batch); i += 1) {
        const symbol = CHAOS_SYMBOLS[i % CHAOS_SYMBOLS.length]!;
        const quantity = 1 + (i % 3);
        const clientOrderId = `chaos-${i}`;
        requested.set(clientOrderId, quantity);
        jobs.push({
          name: 'chaos',
          data: { clientOrderId, account: 'DU1234567', instrument: { symbol, expiry: CHAOS_EXPIRY[symbol] }, side: i % 2 === 0 ? 'BUY' : 'SELL', quantity, orderType: 'MKT', strategy: 'chaos' },
          opts: { priority: 40 },
        });
      }
      await queue.addBulk(jobs);
      if (kills < options.kills && sent + batch >= killEvery * (kills + 1)) {
        // Somewhere inside the next stretch of work, not on a batch boundary.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 150)));
        runtime!.child.kill('SIGKILL');
        await runtime!.exited;
        kills += 1;
        log(`# kill ${kills}/${options.kills} after ${sent + batch} orders queued`);
        await startRuntime();
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    log('# all orders queued; waiting for every order to finish');
    const store = new OrderStore(redis, namespaceKeys().ordersPrefix);
    const deadline = Date.now() + (options.settleTimeoutMs ?? 60_000);
    let pending = requested.size;
    while (Date.now() < deadline) {
      const states = await Promise.all([...requested.keys()].map((id) => store.load(id)));
      pending = states.filter((o) => !o || !store.isTerminal(o.state)).length;
      if (pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    log(`# settled with ${pending} orders not finished`);

    const view = await brokerView(simPort);
    let lost = 0;
    let duplicated = 0;
    let unexplained = 0;
    for (const [clientOrderId, quantity] of requested) {
      const stored = await store.load(clientOrderId);
      const executed = view.executed.get(clientOrderId) ?? 0;
      if ((view.orderIds.get(clientOrderId)?.size ?? 0) > 1) duplicated += 1;
      if (!stored && executed === 0) {
        lost += 1;
        continue;
      }
      if (executed === quantity) continue;
      const explained = stored && ['cancelled', 'rejected', 'expired'].includes(stored.state) && executed === (stored.context?.filledQuantity ?? 0);
      if (!explained) {
        unexplained += 1;
        log(`# unexplained ${clientOrderId}: requested ${quantity}, executed ${executed}, state ${stored?.state ?? 'none'}`);
      }
    }
    return { orders: options.orders, kills, lost, duplicated, unexplained };
  } finally {
    await queue.close();
    const running = runtime as Spawned | null;
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    sim.child.kill('SIGTERM');
    await sim.exited;
    await redis.flushdb();
    redis.disconnect();
    await privateRedis?.stop();
  }
}
