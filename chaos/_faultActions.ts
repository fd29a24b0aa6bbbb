import type { Redis } from 'ioredis';
import { sliceClientOrderId } from '../src/machines/orders/algorithms/twapSchedule.ts';
import type { TwsSimulator } from '../src/sim/index.ts';
import type { SeededRandom } from '../src/shared/seededRandom.ts';
import type { AdminClient } from './_admin.ts';
import { forgedInputs } from './_forgedInputs.ts';
import type { ScheduledFault } from './_faultSchedule.ts';
import { ACCOUNT, passiveLimit, type MarketView } from './_orderMix.ts';
import { readOrderStore, readPendingFills } from './_recordCollectors.ts';
import { killRedisClientsOf } from './_redisClientKill.ts';
import type { PrivateRedis } from './_redisServer.ts';
import type { RuntimeProcess } from './_runtime.ts';
import { isTerminalState, type RuntimeRecords } from './_runtimeRecords.ts';
import type { ChaosStrategy } from './_strategy.ts';
import { sleep, until } from './_time.ts';
import { CHAOS_EXPIRY } from './_instruments.ts';
import { resumeIntake, type WipeBreakClearer } from './_operator.ts';
import { orderActorId } from '../src/orders/orderActorIds.ts';

/** Orders sent in one burst as Redis dies: the runtime takes them in one by one, so the wipe catches some on the queue. */
const IN_FLIGHT_AT_WIPE = 6;

/** Everything a fault acts on, and where it reports. */
export interface FaultWorld {
  runtime: RuntimeProcess;
  admin: AdminClient;
  redis: PrivateRedis;
  /** The chaos run's own connection (never killed with the runtime's). */
  redisAdmin: Redis;
  sim: TwsSimulator;
  market: MarketView;
  records: RuntimeRecords;
  strategy: ChaosStrategy;
  rng: SeededRandom;
  /** Orders a fault is working on right now: the strategy leaves their steps alone meanwhile. */
  busy: Set<string>;
  /** "redis state lost" lines seen so far. */
  detections(): number;
  /** Order actors the supervisor restarted (from its `child restarted` lines). */
  restartedOrders: Set<string>;
  detectionTimeoutMs: number;
  log(line: string): void;
  /** A failure the ledger cannot see (counted in `unexplained`). */
  problem(line: string): void;
  /** Something worth knowing that is not a failure of the runtime. */
  note(line: string): void;
  /** Set while the runtime is down on purpose (the watchdog leaves it alone). */
  restarting: boolean;
  breakClearer: WipeBreakClearer;
}

/** Injects one fault and returns how many to count (a forged burst counts each request). */
export async function injectFault(world: FaultWorld, fault: ScheduledFault, ordinal: number): Promise<number> {
  const label = `${fault.kind}${fault.gateway ? `(${fault.gateway})` : ''} #${ordinal}`;
  switch (fault.kind) {
    case 'process_kill':
      await restartRuntime(world, label);
      return 1;
    case 'actor_crash':
      await crashOrderActor(world, label);
      return 1;
    case 'redis_client_kill': {
      const killed = await killRedisClientsOf(world.runtime.pid, world.redisAdmin, world.redis.port);
      world.log(`# ${label}: killed ${killed} Redis connections of the runtime (pid ${world.runtime.pid})`);
      if (killed === 0) world.note(`${label}: the runtime held no Redis connections to kill`);
      return 1;
    }
    case 'redis_wipe':
      await wipeRedis(world, label);
      return 1;
    case 'gateway':
      await gatewayFault(world, fault.gateway ?? 'drop', label);
      return 1;
    case 'forged_input':
      return forgeInputs(world, label, ordinal);
  }
}

export async function restartRuntime(world: FaultWorld, label: string): Promise<void> {
  world.restarting = true;
  try {
    await world.runtime.kill9();
    world.log(`# ${label}: runtime killed (SIGKILL); restarting`);
    const started = Date.now();
    await world.runtime.start();
    world.log(`# ${label}: runtime active again after ${Date.now() - started} ms`);
  } finally {
    world.restarting = false;
  }
}

/** Arms a crash in an order about to act: one the strategy is about to modify or cancel, or a fresh one. */
async function crashOrderActor(world: FaultWorld, label: string): Promise<void> {
  const working = world.rng.next() < 0.7 ? world.strategy.pickWorkingWithStep(world.rng) : null;
  const fresh = working ? null : world.strategy.takeNext();
  const target = working?.clientOrderId ?? fresh?.clientOrderId;
  if (!target) {
    world.note(`${label}: no order left to crash`);
    return;
  }
  world.busy.add(target);
  try {
    const armed = await world.admin.call(`/testing/orders/${encodeURIComponent(target)}/crash`);
    if (armed.status !== 202) {
      world.problem(`${label}: could not arm a crash in ${target}: ${armed.status} ${armed.body}`);
      if (fresh) await world.strategy.submit(fresh);
      return;
    }
    const step = working ? await world.strategy.performNextStep(working) : null;
    if (fresh) await world.strategy.submit(fresh);
    world.log(`# ${label}: crash armed in ${target} (${working ? `working ${working.kind}, then ${step?.action ?? 'no step: it had ended'}` : `fresh ${fresh!.kind}`})`);
    const restarted = await until(() => world.restartedOrders.has(target), 5_000);
    if (!restarted) world.note(`${label}: ${target} armed, but no restart of ${orderActorId(target)} was logged within 5 s`);
  } finally {
    world.busy.delete(target);
  }
}

/**
 * Redis restarted empty. What Redis held when it died is read first, with every other client's
 * writes paused, so nothing the runtime booked is missed. Then the driver acts as the operator:
 * it waits for the runtime's "redis state lost" line, resumes intake, and resubmits what the wipe
 * destroyed before intake.
 */
async function wipeRedis(world: FaultWorld, label: string): Promise<void> {
  const strategy = world.strategy;
  strategy.paused = true;
  try {
    const before = world.detections();
    // Orders in flight when Redis dies: still on the queue, so the wipe destroys them (or, sent a moment
    // too late, they wait for the new server and meet the halted intake).
    const inFlight = Array.from({ length: IN_FLIGHT_AT_WIPE }, () => strategy.takeNext()).filter((o) => o !== null);
    const sending: Promise<void>[] = [];
    await world.redis.shutdownNoSave(
      async (paused) => {
        await readOrderStore(paused, world.records);
        await readPendingFills(paused, world.records);
      },
      () => {
        if (inFlight.length > 0) sending.push(strategy.submitMany(inFlight));
      },
    );
    for (const id of world.records.created) world.breakClearer.erased.add(id);
    world.log(`# ${label}: Redis shut down without saving (${world.records.created.size} orders recorded so far, ${inFlight.length} just sent); starting it empty`);
    await world.redis.startEmpty();
    await Promise.all(sending);
    const detected = await until(() => world.detections() > before, world.detectionTimeoutMs);
    if (detected) world.log(`# ${label}: the runtime logged "redis state lost"`);
    else world.log(`# ${label}: no "redis state lost" line within ${world.detectionTimeoutMs} ms`);
    const resumed = await resumeIntake(world.admin, `chaos matrix ${label}: Redis restarted empty; broker checked, orders resubmitted by the strategy`, 30_000);
    if (resumed.status < 200 || resumed.status >= 300) world.note(`${label}: POST /resume answered ${resumed.status} ${resumed.body}`);
    else world.log(`# ${label}: intake resumed (${resumed.status})`);
    const recovered = await strategy.recoverFromWipe(world.records.created, (id) => isTerminalState(world.records.latest.get(id)?.state ?? ''));
    world.log(`# ${label}: resubmitted ${recovered.resubmitted.length} orders the wipe destroyed before intake, re-sent ${recovered.cancels} cancels`);
  } finally {
    strategy.paused = false;
  }
}

async function gatewayFault(world: FaultWorld, kind: 'drop' | 'halfOpen' | 'connectivityLost', label: string): Promise<void> {
  switch (kind) {
    case 'drop':
      world.sim.injectFault({ kind: 'dropAll' });
      world.log(`# ${label}: every gateway socket dropped`);
      return;
    case 'halfOpen': {
      const ms = world.rng.int(1_500, 3_000);
      world.sim.injectFault({ kind: 'halfOpen', on: true });
      world.log(`# ${label}: gateway half-open for ${ms} ms`);
      await sleep(ms);
      world.sim.injectFault({ kind: 'halfOpen', on: false });
      return;
    }
    case 'connectivityLost': {
      const ms = world.rng.int(1_000, 2_500);
      world.sim.injectFault({ kind: 'connectivityLost', restoreAfterMs: ms, restoreCode: 1101 });
      world.log(`# ${label}: 1100, then 1101 after ${ms} ms`);
      await sleep(ms);
      return;
    }
  }
}

/** Every forged or malformed request must be refused with a 4xx; anything else is a failure. */
async function forgeInputs(world: FaultWorld, label: string, serial: number): Promise<number> {
  const target = world.strategy.pickWorking(world.rng)?.clientOrderId ?? [...world.strategy.requested.keys()].at(-1) ?? 'none';
  const twap = [...world.strategy.requested.values()].find((o) => o.kind === 'TWAP');
  const sliceShapedId = sliceClientOrderId(twap?.clientOrderId ?? target, 7);
  const orderJob = {
    account: ACCOUNT,
    instrument: { symbol: 'ES', expiry: CHAOS_EXPIRY.ES },
    side: 'BUY',
    quantity: 1,
    orderType: 'LMT',
    limitPrice: passiveLimit(world.market, 'ES', 'BUY', 3),
    strategy: 'chaos-matrix',
  };
  const attempts = forgedInputs({ order: target, sliceShapedId, orderJob }, serial);
  const refused: string[] = [];
  for (const attempt of attempts) {
    const answer = await world.admin.call(attempt.path, attempt.request);
    if (answer.status >= 400 && answer.status < 500) {
      refused.push(`${answer.status}`);
      continue;
    }
    world.problem(`${label}: forged input "${attempt.name}" to ${attempt.path} answered ${answer.status} ${answer.body}`);
    if (attempt.path === '/orders' && answer.status >= 200 && answer.status < 300) {
      // It got in: take it back out so it does not trade under an id nobody owns.
      await world.strategy.enqueue({ type: 'cancel', clientOrderId: sliceShapedId }).catch(() => undefined);
    }
    if (attempt.stopsTheProcess && answer.status >= 200 && answer.status < 300) {
      await restartRuntime(world, `${label} recovery after an accepted ${attempt.name}`);
    }
  }
  world.log(`# ${label}: ${attempts.length} forged/malformed requests against ${target}; answers ${refused.join(',')}${refused.length < attempts.length ? ` and ${attempts.length - refused.length} not refused` : ''}`);
  return attempts.length;
}
