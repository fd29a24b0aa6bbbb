/**
 * IB connection failover and recovery against two embedded simulators over real TCP:
 * failover_ms, reconnect_ms (backoff excluded), halfopen_detect_ms. Medians over runs.
 */
import { EventName, OrderAction, OrderType, SecType, type Contract, type IBApi } from '@stoqey/ib';
import { Redis } from 'ioredis';
import { createActor } from 'xstate';
import { createSilentLogger } from '../src/log/logger.ts';
import { createIbConnection } from '../src/actors/ib/ibConnection.ts';
import type { IbConnectionInput } from '../src/machines/ib/ibConnectionTypes.ts';
import { TwsSimulator } from '../src/sim/index.ts';
import { median, progress, round } from './_stats.ts';

const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' }; // ESH7: a future without a month is ambiguous
const HEARTBEAT_MS = 200;

const TIMING: IbConnectionInput['timing'] = {
  connectTimeoutMs: 1_000,
  handshakeTimeoutMs: 1_000,
  heartbeatIntervalMs: HEARTBEAT_MS,
  heartbeatTimeoutMs: HEARTBEAT_MS,
  stableAfterMs: 60_000,
  failoverAfterAttempts: 1,
  primaryProbeIntervalMs: 60_000,
};

async function startSim(port = 0): Promise<TwsSimulator> {
  const sim = new TwsSimulator({ clock: process.env.TRADEWIRE_SIM_CLOCK, tickIntervalMs: 0, pacing: { enabled: false }, logger: createSilentLogger() });
  await sim.listen(port);
  return sim;
}

function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const poll = () => {
      if (check()) return resolve();
      if (performance.now() > deadline) return reject(new Error('benchmark step timed out'));
      setImmediate(poll);
    };
    poll();
  });
}

function connection(redis: Redis, ports: number[], backoffMinMs: number) {
  const input: IbConnectionInput = {
    gateways: ports.map((port) => ({ host: '127.0.0.1', port })),
    clientIds: [1, 2],
    timing: TIMING,
    backoff: { minMs: backoffMinMs, maxMs: backoffMinMs * 4, jitter: 0 },
    seed: 3,
  };
  const { machine, session } = createIbConnection({
    systemId: 'bench-ib',
    input,
    redis,
    logger: createSilentLogger(),
    orderIdKey: `bench:failover:${process.pid}:${Math.random()}`,
    pacing: { ratePerSecond: 45, burst: 5, paced: false },
  });
  const actor = createActor(machine, { input }).start();
  const health = () => {
    const value = actor.getSnapshot().value as { connected?: { health?: string } } | string;
    return typeof value === 'object' && value.connected ? value.connected.health : null;
  };
  return { actor, session, health };
}

/**
 * Primary dies; the order path waits for the connection to be ready on the backup (an order
 * written to a socket in its last moments is in doubt and reconciled, not counted here), then
 * places an order. Measured from the loss to the backup's openOrder for it.
 */
export async function failoverOnce(redis: Redis): Promise<number> {
  const primary = await startSim();
  const backup = await startSim();
  const conn = connection(redis, [primary.address!.port, backup.address!.port], 10);
  try {
    await waitFor(() => conn.health() === 'healthy');
    const orderId = await conn.session.orderIds.allocate();
    let acceptedAt = 0;
    const started = performance.now();
    await primary.close();
    await waitFor(() => conn.health() === 'healthy' && conn.actor.getSnapshot().context.gatewayIndex === 1 && conn.session.online);
    conn.session.enqueue('order', (api: IBApi) => {
      api.once(EventName.openOrder, () => {
        acceptedAt = performance.now();
      });
      api.placeOrder(orderId, ES, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true, orderRef: 'bench-failover' });
    });
    await waitFor(() => acceptedAt > 0);
    return acceptedAt - started;
  } finally {
    conn.actor.stop();
    await backup.close();
  }
}

/** Gateway restart to connected/healthy, minus the backoff the machine chose. */
export async function reconnectOnce(redis: Redis): Promise<number> {
  const sim = await startSim();
  const conn = connection(redis, [sim.address!.port], 50);
  try {
    await waitFor(() => conn.health() === 'healthy');
    const connects = conn.actor.getSnapshot().context.counters.connects;
    const started = performance.now();
    sim.injectFault({ kind: 'restart' });
    await waitFor(() => conn.health() === 'healthy' && conn.actor.getSnapshot().context.counters.connects > connects);
    return performance.now() - started - conn.actor.getSnapshot().context.nextDelayMs;
  } finally {
    conn.actor.stop();
    await sim.close();
  }
}

/** The socket goes silent; how long until the machine gives it up and starts reconnecting. */
export async function halfOpenOnce(redis: Redis): Promise<number> {
  const sim = await startSim();
  const conn = connection(redis, [sim.address!.port], 50);
  try {
    await waitFor(() => conn.health() === 'healthy');
    // A random phase against the heartbeat cycle, as a real outage would have.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * HEARTBEAT_MS));
    const started = performance.now();
    sim.injectFault({ kind: 'halfOpen' });
    await waitFor(() => conn.actor.getSnapshot().context.counters.halfOpenDetected > 0);
    return performance.now() - started;
  } finally {
    conn.actor.stop();
    await sim.close();
  }
}

export async function run({ quick }: { quick: boolean }) {
  const runs = quick ? 5 : 15;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const failover: number[] = [];
    const reconnect: number[] = [];
    const halfOpen: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      failover.push(await failoverOnce(redis));
      reconnect.push(await reconnectOnce(redis));
      halfOpen.push(await halfOpenOnce(redis));
      progress(`run ${i + 1}/${runs}: failover ${failover.at(-1)!.toFixed(1)} ms, reconnect ${reconnect.at(-1)!.toFixed(1)} ms, half-open ${halfOpen.at(-1)!.toFixed(1)} ms`);
    }
    progress(`heartbeat interval = timeout = ${HEARTBEAT_MS} ms, failover after 1 failed attempt`);
    return {
      failover_ms: round(median(failover), 2),
      reconnect_ms: round(median(reconnect), 2),
      halfopen_detect_ms: round(median(halfOpen), 2),
    };
  } finally {
    redis.disconnect();
  }
}
