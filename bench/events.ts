/**
 * Live events (`GET /events`) through a real runtime against the simulator (a standalone
 * `tradewire sim`, pacing off, as the orders benchmark's): how many events/s reach one SSE client,
 * the lag from an order's state change to that client and from a fill to a fills-stream consumer
 * group while 500 orders/s flow, and the orders throughput with the event stream on and off in
 * the same run (the baseline).
 */
import http from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/index.ts';
import { createSilentLogger } from '../src/log/logger.ts';
import { MARKET_DATA_ROLL_TOPIC } from '../src/marketdata/sources/ib/rollEvent.ts';
import { namespaceKeys } from '../src/redis/namespaceKeys.ts';
import { freePort } from '../src/runtime/freePort.ts';
import { startMainProcess, type MainProcess } from '../src/runtime/mainProcess.ts';
import { spawnTradewire } from '../chaos/_process.ts';
import { percentile, progress, round } from './_stats.ts';
import { benchOrderJob, until } from './_orderLoad.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';


/**
 * A runtime in a namespace of its own, with broker mode ib to a standalone simulator of its own
 * (pacing off; a second runtime on the same simulator would find the first one's executions and
 * rightly halt as if Redis had lost them).
 */
async function runtime(events: boolean) {
  const simPort = await freePort();
  const sim = spawnTradewire(['sim', '--port', String(simPort), '--tick-interval-ms', '0', '--no-pacing'], { TRADEWIRE_LOG_LEVEL: 'info' });
  await sim.waitFor(/sim listening/);
  const namespace = `bench-events-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const config = loadConfig({
    env: {},
    overrides: {
      namespace,
      redis: { url: REDIS_URL, allowVolatile: true, stateFile: false },
      admin: { port: 0 },
      broker: { mode: 'ib', ib: { host: '127.0.0.1', port: simPort, clientId: 1 }, connection: { pacing: { enabled: false } } },
      orders: { demo: { enabled: false }, maxOrderSize: { '*': 1_000 }, positionLimit: { '*': 1_000_000 } },
      events: { enabled: events, retention: { maxLen: 100_000 } },
      log: { level: 'error' },
    },
  });
  const main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker', 'orders'] });
  await main.whenActive();
  await main.orders!.service.whenTakingJobs();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const keys = namespaceKeys(namespace);
  const queue = new Queue('orders', { connection: redis, prefix: keys.bullPrefix });
  let filled = 0;
  main.runtime.tree.services.bus.subscribe('order.filled', () => void (filled += 1));
  return {
    main,
    redis,
    keys,
    queue,
    filled: () => filled,
    async close() {
      await main.stop();
      await queue.close();
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1_000);
        cursor = next;
        if (found.length > 0) await redis.del(...found);
      } while (cursor !== '0');
      redis.disconnect();
      sim.child.kill('SIGTERM');
      await sim.exited;
    },
  };
}
type Runtime = Awaited<ReturnType<typeof runtime>>;

/** An SSE client of the runtime's `GET /events`, calling `onEvent` per message. */
function sseClient(main: MainProcess, query: string, onEvent: (type: string, data: string, id: string) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${main.admin.url}/events${query}`, { headers: { accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`GET /events answered ${response.statusCode}`));
      response.setEncoding('utf8');
      let partial = '';
      response.on('data', (chunk: string) => {
        const blocks = (partial + chunk).split('\n\n');
        partial = blocks.pop() ?? '';
        for (const block of blocks) {
          if (block.startsWith(':')) continue;
          const lines = block.split('\n');
          const field = (name: string) => lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
          onEvent(field('event'), field('data'), field('id'));
        }
      });
      resolve(() => request.destroy());
    });
    request.on('error', reject);
  });
}

/** Orders/s from a burst of `count` MKT orders on the queue to all filled (after a small warm-up). */
async function ordersPerSecond(w: Runtime, count: number, tag: string): Promise<number> {
  const burst = async (n: number, name: string) => {
    const target = w.filled() + n;
    const jobs = Array.from({ length: n }, (_, i) => ({ name: 'o', data: benchOrderJob(`${name}-${i}`, i), opts: { priority: 40 } }));
    const started = performance.now();
    for (let i = 0; i < jobs.length; i += 500) await w.queue.addBulk(jobs.slice(i, i + 500));
    await until(() => w.filled() >= target, `${name} filled`);
    return (n / (performance.now() - started)) * 1_000;
  };
  await burst(200, `${tag}-warm`);
  return burst(count, tag);
}

/**
 * 500 orders/s for `seconds`: the lag from each order state change (the bus publication, in this
 * process) to its SSE message, and from each execution to a consumer group of the fills stream.
 */
async function lagsAt500PerSecond(w: Runtime, seconds: number): Promise<{ sse: number[]; fills: number[]; events: number }> {
  const bus = w.main.runtime.tree.services.bus;
  const changedAt = new Map<string, number>();
  const filledAt = new Map<string, number>();
  const measuring = { on: false };
  bus.subscribe<{ clientOrderId: string; state: string }>('order.*', ({ clientOrderId, state }, topic) => {
    if (measuring.on && topic !== 'order.fill') changedAt.set(`${clientOrderId}|${state}`, performance.now());
  });
  bus.subscribe<{ executions: { execId: string }[] }>('order.fill', ({ executions }) => {
    if (measuring.on) for (const { execId } of executions) filledAt.set(execId, performance.now());
  });
  const sse: number[] = [];
  let events = 0;
  const close = await sseClient(w.main, '', (type, data) => {
    events += 1;
    if (type !== 'order') return;
    const { clientOrderId, state } = JSON.parse(data) as { clientOrderId: string; state: string };
    const at = changedAt.get(`${clientOrderId}|${state}`);
    if (at !== undefined) sse.push(performance.now() - at);
  });
  // A consumer group of the fills stream, as a strategy would read it (README: Fills stream).
  const consumer = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  await consumer.xgroup('CREATE', w.keys.fillStream, 'bench', '$', 'MKSTREAM');
  const fills: number[] = [];
  let consuming = true;
  const consumed = (async () => {
    while (consuming) {
      const reply = (await consumer.xreadgroup('GROUP', 'bench', 'c1', 'COUNT', 500, 'BLOCK', 200, 'STREAMS', w.keys.fillStream, '>')) as [string, [string, string[]][]][] | null;
      const now = performance.now();
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        // Execution entries only: a late commission has an entry of its own, under the same execId.
        const at = fields[fields.indexOf('type') + 1] === 'fill' ? filledAt.get(fields[fields.indexOf('execId') + 1]!) : undefined;
        if (at !== undefined) fills.push(now - at);
        void consumer.xack(w.keys.fillStream, 'bench', id);
      }
    }
  })();
  const total = seconds * 500;
  const target = w.filled() + total;
  const started = performance.now();
  measuring.on = true;
  // 5 orders every 10 ms, on schedule (a late tick catches up).
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1_000) * 500) + 5);
    if (due > sent) {
      const jobs = Array.from({ length: due - sent }, (_, i) => ({ name: 'o', data: benchOrderJob(`lag-${sent + i}`, sent + i), opts: { priority: 40 } }));
      sent = due;
      await w.queue.addBulk(jobs);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await until(() => w.filled() >= target, 'lag orders filled');
  await until(() => sse.length >= changedAt.size && fills.length >= filledAt.size, 'every change seen by the client and the consumer', 10_000).catch(() => undefined);
  measuring.on = false;
  consuming = false;
  await consumed;
  consumer.disconnect();
  close();
  return { sse: sse.sort((a, b) => a - b), fills: fills.sort((a, b) => a - b), events };
}

/** Events/s from the bus to one SSE client, pushed as fast as the client takes them (at most 20,000 ahead). */
async function sseEventsPerSecond(w: Runtime, count: number): Promise<number> {
  const bus = w.main.runtime.tree.services.bus;
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  const close = await sseClient(w.main, '?types=roll', () => {
    received += 1;
    lastAt = performance.now();
  });
  let published = 0;
  firstAt = performance.now();
  while (published < count) {
    if (published - received < 20_000) {
      for (let i = 0; i < 1_000 && published < count; i += 1, published += 1) bus.publish(MARKET_DATA_ROLL_TOPIC, { symbol: 'ES', from: '202612', to: '202703', at: new Date().toISOString(), sourceId: 'bench' });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await until(() => received >= count, 'every event delivered');
  close();
  return (received / (lastAt - firstAt)) * 1_000;
}

export async function run({ quick }: { quick: boolean }) {
  const burst = quick ? 2_000 : 6_000;
  progress(`orders throughput, events off: ${burst} MKT orders`);
  const off = await runtime(false);
  const ordersOff = await ordersPerSecond(off, burst, 'off').finally(() => off.close());

  const on = await runtime(true);
  try {
    progress(`orders throughput, events on (one SSE client connected): ${burst} MKT orders`);
    let seen = 0;
    const watching = await sseClient(on.main, '', () => void (seen += 1));
    const ordersOn = await ordersPerSecond(on, burst, 'on');
    watching();
    progress(`lag at 500 orders/s for ${quick ? 8 : 30} s: order state change -> SSE client, fill -> fills-stream consumer group (${seen} events seen in the burst)`);
    const lags = await lagsAt500PerSecond(on, quick ? 8 : 30);
    progress(`events/s to one SSE client: ${quick ? 40_000 : 200_000} events`);
    const perSecond = await sseEventsPerSecond(on, quick ? 40_000 : 200_000);
    progress(
      `p50: sse ${round(percentile(lags.sse, 50), 2)} ms, fills stream ${round(percentile(lags.fills, 50), 2)} ms (${lags.sse.length} order events, ${lags.fills.length} executions; ${lags.events} events on the SSE client)`,
    );
    return {
      sse_events_per_s: Math.round(perSecond),
      sse_lag_p99_ms: round(percentile(lags.sse, 99), 2),
      fills_stream_lag_p99_ms: round(percentile(lags.fills, 99), 2),
      orders_per_s_events_on: Math.round(ordersOn),
      orders_per_s_events_off: Math.round(ordersOff),
      events_on_ratio: round(ordersOn / ordersOff, 3),
    };
  } finally {
    await on.close();
  }
}
