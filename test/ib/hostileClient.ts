import { Redis } from 'ioredis';
import { createActor } from 'xstate';
import { createSilentLogger } from '../../src/log/logger.ts';
import { createIbConnection } from '../../src/actors/ib/ibConnection.ts';
import type { IbConnectionCounters, IbConnectionInput } from '../../src/machines/ib/ibConnectionTypes.ts';
import { REDIS_URL } from '../support/redisUrl.ts';


/** Short attempt timeouts so every run ends in backoff quickly; heartbeats out of the way (the peer never answers them). */
const HOSTILE_TIMING: IbConnectionInput['timing'] = {
  connectTimeoutMs: 400,
  handshakeTimeoutMs: 400,
  heartbeatIntervalMs: 30_000,
  heartbeatTimeoutMs: 30_000,
  stableAfterMs: 30_000,
  failoverAfterAttempts: 1_000,
  primaryProbeIntervalMs: 30_000,
};

/** The first time the connection entered backoff: what it had counted and why it gave up. */
export interface FirstFailure {
  counters: IbConnectionCounters;
  lastError: string | null;
}

/** A real IB connection actor (real @stoqey/ib client, our guard) pointed at one gateway port. */
export function hostileClient(port: number) {
  // The order-id allocator only touches Redis when ids are reserved, which these tests never do.
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const input: IbConnectionInput = {
    gateways: [{ host: '127.0.0.1', port }],
    clientIds: [1],
    timing: HOSTILE_TIMING,
    backoff: { minMs: 20, maxMs: 100, jitter: 0 },
    seed: 1,
  };
  const { machine } = createIbConnection({ systemId: 'ib', input, redis, logger: createSilentLogger(), orderIdKey: 'test:ib:hostile:unused' });
  const actor = createActor(machine, { input });
  const states: string[] = [];
  let firstFailure: FirstFailure | null = null;
  actor.subscribe((snapshot) => {
    const state = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0]!;
    if (states.at(-1) !== state) states.push(state);
    if (state === 'backoff' && !firstFailure) firstFailure = { counters: { ...snapshot.context.counters }, lastError: snapshot.context.lastError };
  });
  actor.start();
  return {
    actor,
    states,
    get firstFailure(): FirstFailure | null {
      return firstFailure;
    },
    counters: () => actor.getSnapshot().context.counters,
    stop() {
      actor.stop();
      redis.disconnect();
    },
  };
}
