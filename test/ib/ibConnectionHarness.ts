import { Redis } from 'ioredis';
import { createActor, type AnyActorRef } from 'xstate';
import { createSilentLogger } from '../../src/log/logger.ts';
import { createIbConnection } from '../../src/actors/ib/ibConnection.ts';
import type { Gateway, IbConnectionInput } from '../../src/machines/ib/ibConnectionTypes.ts';
import type { TwsSimulator, SimulatorOptions } from '../../src/sim/index.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { startSimulator } from '../support/simulator.ts';
import { waitUntil } from '../support/waitUntil.ts';

export const FAST_TIMING: IbConnectionInput['timing'] = {
  connectTimeoutMs: 1_000,
  handshakeTimeoutMs: 1_000,
  heartbeatIntervalMs: 100,
  heartbeatTimeoutMs: 150,
  stableAfterMs: 2_000,
  failoverAfterAttempts: 2,
  primaryProbeIntervalMs: 100,
};

/**
 * For tests that do not measure dead-link detection: a 150 ms heartbeat timeout reads a busy CI
 * machine's GC pause as a dead gateway and drops the connection mid-test.
 */
export const STEADY_TIMING: IbConnectionInput['timing'] = { ...FAST_TIMING, heartbeatIntervalMs: 500, heartbeatTimeoutMs: 5_000 };

export async function startSim(port = 0, options: SimulatorOptions = {}): Promise<{ sim: TwsSimulator; gateway: Gateway }> {
  const { sim, port: listening } = await startSimulator(options, port);
  return { sim, gateway: { host: '127.0.0.1', port: listening } };
}

/** The simulator over TCP (with `simulator` options, e.g. a hand-moved `clock`) and a healthy IB connection to it, both closed by `cleanups` (run in reverse). */
export async function connectedSim(cleanups: (() => unknown)[], what = 'ib connected', simulator: SimulatorOptions = {}, timing = FAST_TIMING) {
  const { sim, gateway } = await startSim(0, simulator);
  cleanups.push(() => sim.close());
  const conn = connect([gateway], { timing });
  cleanups.push(() => conn.close());
  await waitUntil(() => healthOf(conn.actor) === 'healthy', what, 5_000);
  return { sim, gateway, conn };
}

export function connect(gateways: Gateway[], extra: Partial<IbConnectionInput> = {}) {
  const redis = new Redis(REDIS_URL);
  const key = `test:ib:${process.pid}:${Math.random().toString(36).slice(2)}`;
  const { machine, session } = createIbConnection({
    systemId: 'ib',
    input: { gateways, clientIds: [1, 2, 3], timing: FAST_TIMING, backoff: { minMs: 20, maxMs: 200, jitter: 0 }, seed: 7, ...extra },
    redis,
    logger: createSilentLogger(),
    orderIdKey: key,
    pacing: { ratePerSecond: 45, burst: 5, paced: true },
  });
  const actor = createActor(machine, { input: { gateways, clientIds: [1, 2, 3], timing: FAST_TIMING, backoff: { minMs: 20, maxMs: 200, jitter: 0 }, seed: 7, ...extra } });
  const emitted: { type: string }[] = [];
  actor.on('*', (event) => emitted.push(event as { type: string }));
  const path: string[] = [];
  actor.subscribe((snapshot) => {
    const label = JSON.stringify(snapshot.value);
    if (path.at(-1) !== label) path.push(label);
  });
  actor.start();
  return {
    actor: actor as AnyActorRef & typeof actor,
    session,
    emitted,
    path,
    async close() {
      actor.stop();
      await redis.del(key);
      redis.disconnect();
    },
  };
}

export const healthOf = (actor: { getSnapshot(): { value: unknown } }): string | null => {
  const value = actor.getSnapshot().value as { connected?: { health?: string } } | string;
  return typeof value === 'object' && value.connected ? value.connected.health ?? null : null;
};
