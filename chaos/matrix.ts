/**
 * The fault matrix: the runtime runs as a child process against a simulator in this process and a
 * private Redis, orders of every kind stream in, and faults of every kind hit it at seeded random
 * moments (kill -9, order-actor crashes, Redis connection kills, Redis restarted empty, gateway
 * drop / half-open / 1100 → 1101, forged and malformed admin input). At the end the simulator's own
 * records are the judge: at most one live broker order per clientOrderId at any moment, never more
 * executed than requested, every execution booked exactly once, nothing booked the broker did not do.
 */
import { randomBytes } from 'node:crypto';
import { Queue, type Worker } from 'bullmq';
import { namespaceKeys } from '../src/redis/namespaceKeys.ts';
import winston from 'winston';
import { createLogger } from '../src/log/logger.ts';
import { TwsSimulator } from '../src/sim/index.ts';
import { deriveSeed, SeededRandom } from '../src/shared/seededRandom.ts';
import { ORDER_QUEUE_NAME } from '../src/orders/schema/index.ts';
import { AdminClient } from './_admin.ts';
import { injectFault, restartRuntime, type FaultWorld } from './_faultActions.ts';
import { FAULT_KINDS, faultSchedule, type FaultCounts, type FaultKind } from './_faultSchedule.ts';
import { checkAgainstLedger } from './_ledgerCheck.ts';
import { LiveOrderTracker } from './_liveOrders.ts';
import { ACCOUNT, type MarketView } from './_orderMix.ts';
import { consumeFills, readOrderStore } from './_recordCollectors.ts';
import { WipeBreakClearer } from './_operator.ts';
import { PrivateRedis } from './_redisServer.ts';
import { RuntimeProcess } from './_runtime.ts';
import { RuntimeLogWatcher } from './_runtimeLog.ts';
import { writeChaosConfig } from './_runtimeConfig.ts';
import { isTerminalState, RuntimeRecords } from './_runtimeRecords.ts';
import { ChaosStrategy } from './_strategy.ts';
import { every, sleep } from './_time.ts';
import { SettleGate } from './_settleGate.ts';
import { errorMessage } from '../src/shared/errorMessage.ts';

export interface MatrixOptions {
  seed: number;
  orders: number;
  /** The orders are spread over this long; the faults fall within it. */
  streamMs: number;
  faults: FaultCounts;
  /** After the stream: how long every order gets to finish. */
  settleTimeoutMs: number;
  /** How long the operator waits for "redis state lost" after a wipe before resuming anyway. */
  detectionTimeoutMs?: number;
  log?: (line: string) => void;
  /** Every log line of every runtime incarnation is appended here (for looking into a failure). */
  runtimeLogFile?: string;
}

export interface MatrixResult {
  orders: number;
  faults: Record<FaultKind, number>;
  lost: number;
  duplicated: number;
  phantom: number;
  unexplained: number;
  state_loss_detected: number;
}

export interface MatrixOutcome {
  result: MatrixResult;
  /** One line per counted failure. */
  findings: string[];
  /** What happened that is not itself a failure (e.g. a hook armed with no crash seen). */
  notes: string[];
}

/** The run passes when nothing is lost, doubled, invented or unexplained and every wipe was detected. */
export function matrixPassed(result: MatrixResult): boolean {
  return result.lost + result.duplicated + result.phantom + result.unexplained === 0 && result.state_loss_detected === result.faults.redis_wipe;
}

/** Once every order has ended, how long fills still unpublished are waited for. */

/** The minimum time between the end of one fault and the start of the next. */
const FAULT_GAP_MS = 1_500;

export async function runFaultMatrix(options: MatrixOptions): Promise<MatrixOutcome> {
  const log = options.log ?? (() => {});
  const findings: string[] = [];
  const notes: string[] = [];
  const runId = `mx${options.seed}`;
  const redis = await PrivateRedis.start();
  // The simulator's own log goes to stderr: stdout is for the run's progress and its result line.
  const simLogger = createLogger({ level: 'warn', transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })] });
  // Deep pockets: a thousand random orders must not run into the broker's margin check.
  const sim = new TwsSimulator({ clock: process.env.TRADEWIRE_SIM_CLOCK, seed: options.seed, tickIntervalMs: 100, pacing: { enabled: false }, accounts: [{ id: ACCOUNT, cash: 100_000_000 }], logger: simLogger });
  const { port: simPort } = await sim.listen(0);
  const tracker = new LiveOrderTracker(sim);
  const records = new RuntimeRecords();
  const market: MarketView = {
    price: (symbol) => sim.price(symbol),
    tickSize: (symbol) => sim.catalogue.bySymbolName(symbol)!.tickSize,
  };
  const logWatcher = new RuntimeLogWatcher(records, options.runtimeLogFile);
  const token = randomBytes(16).toString('hex');
  const runtime = new RuntimeProcess(
    {
      REDIS_URL: redis.url,
      TRADEWIRE_CONFIG: writeChaosConfig(simPort),
      TRADEWIRE_ADMIN_PORT: '0',
      TRADEWIRE_ADMIN_TOKEN: token,
      TRADEWIRE_LOG_LEVEL: 'info',
      TRADEWIRE_TESTING_FAULT_HOOKS: '1',
    },
    logWatcher.onLine,
  );
  const redisAdmin = redis.connect('admin');
  const producer = redis.connect('producer');
  const reader = redis.connect('reader', { autoPipelining: true });
  const queue = new Queue(ORDER_QUEUE_NAME, { connection: producer, prefix: namespaceKeys().bullPrefix });
  const fillsConnection = redis.connect('fills');
  let fills: Worker | null = null;
  let problems = 0;
  const strategy = new ChaosStrategy({ queue, rng: new SeededRandom(deriveSeed(options.seed, 'orders')), runId, market, tracker, total: options.orders });
  const world: FaultWorld = {
    runtime,
    admin: new AdminClient(() => runtime.adminUrl, token),
    redis,
    redisAdmin,
    sim,
    market,
    records,
    strategy,
    rng: new SeededRandom(deriveSeed(options.seed, 'fault-targets')),
    busy: new Set(),
    detections: () => logWatcher.detections,
    restartedOrders: logWatcher.restartedOrders,
    detectionTimeoutMs: options.detectionTimeoutMs ?? 20_000,
    log,
    problem: (line) => {
      problems += 1;
      findings.push(`unexplained: ${line}`);
      log(`# FAILURE ${line}`);
    },
    note: (line) => {
      notes.push(line);
      log(`# note: ${line}`);
    },
    restarting: false,
    breakClearer: new WipeBreakClearer(reader, (line) => {
      notes.push(line);
      log(`# note: ${line}`);
    }),
  };
  const schedule = faultSchedule(new SeededRandom(deriveSeed(options.seed, 'faults')), options.faults, Math.min(3_000, options.streamMs / 10), options.streamMs * 0.9);
  const injected = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const timers: NodeJS.Timeout[] = [];

  try {
    await runtime.start();
    fills = consumeFills(fillsConnection, records);
    log(`# runtime ready (admin ${runtime.adminUrl}); simulator on ${simPort}, private Redis on ${redis.port}`);
    log(`# schedule: ${schedule.map((f) => `${f.kind}${f.gateway ? `(${f.gateway})` : ''}@${(f.atMs / 1000).toFixed(1)}s`).join(' ')}`);

    // The order store is read all along: a wipe takes what Redis held with it.
    timers.push(every(1_000, () => readOrderStore(reader, records), () => strategy.paused));
    // The operator clears the breaks a wipe causes (see WipeBreakClearer).
    timers.push(every(500, () => world.breakClearer.sweep(), () => strategy.paused));
    // A runtime that dies when nobody killed it is a failure; it is started again so the run can go on.
    timers.push(
      every(
        500,
        async () => {
          world.problem(`the runtime exited on its own; last lines:\n${runtime.lastLines(10).join('\n')}`);
          await restartRuntime(world, 'watchdog').catch((error: Error) => log(`# watchdog could not restart the runtime: ${error.message}`));
        },
        () => world.restarting || runtime.running,
      ),
    );

    const startedAt = Date.now();
    const elapsed = () => Date.now() - startedAt;
    const stream = (async () => {
      while (!strategy.allSubmitted) {
        await strategy.streamDue(elapsed(), options.streamMs);
        await strategy.runDueSteps(world.busy);
        await sleep(50);
      }
    })();
    const faults = (async () => {
      let lastEnded = 0;
      const ordinals = new Map<FaultKind, number>();
      for (const fault of schedule) {
        while (elapsed() < fault.atMs || Date.now() - lastEnded < FAULT_GAP_MS || world.restarting) await sleep(50);
        const ordinal = (ordinals.get(fault.kind) ?? 0) + 1;
        ordinals.set(fault.kind, ordinal);
        try {
          injected[fault.kind] += await injectFault(world, fault, ordinal);
        } catch (error) {
          // A fault that could not be carried out (or recovered from) is a failure, not the end of the run.
          world.problem(`${fault.kind} #${ordinal} failed: ${errorMessage(error)}`);
        }
        lastEnded = Date.now();
      }
    })();
    // Steps keep running once the stream is out, until the faults are done too.
    await Promise.all([stream, faults]);
    log(`# ${strategy.requested.size} orders out (${strategy.resubmitted} resubmitted after wipes), ${schedule.length} faults injected; settling`);

    const deadline = Date.now() + options.settleTimeoutMs;
    // Resting orders first get the time their plans need; what still rests after that is cancelled.
    let lastCleanup = Date.now() + 1_000;
    let pending: string[] = [];
    const gate = new SettleGate();
    while (Date.now() < deadline) {
      await strategy.runDueSteps(world.busy);
      if (Date.now() - lastCleanup > 3_000) {
        const { cancelled, overdue } = await strategy.cancelStillWorking(3_000);
        if (cancelled > 0) log(`# end of session: cancelled ${cancelled} orders still working`);
        for (const order of overdue) world.note(`${order.clientOrderId} (limit-chase) still working at the broker well past its deadline; cancelled at the end of the session`);
        lastCleanup = Date.now();
      }
      await readOrderStore(reader, records).catch(() => undefined);
      pending = [...strategy.requested.keys()].filter((id) => !isTerminalState(records.latest.get(id)?.state ?? '') || tracker.isLive(id));
      const unpublished = sim.ledger.all().filter((e) => e.orderRef.startsWith(`${runId}.`) && !records.published.has(e.execId)).length;
      if (gate.settled(pending.length, unpublished)) break;
      await sleep(250);
    }
    // Late fills and commissions: give the consumer a moment to see the last of them.
    await sleep(500);
    await readOrderStore(reader, records).catch(() => undefined);
    log(`# settled: ${pending.length} orders not finished${pending.length ? ` (${pending.slice(0, 10).join(', ')}${pending.length > 10 ? ', ...' : ''})` : ''}`);

    const check = checkAgainstLedger({
      requested: strategy.requested,
      executions: sim.ledger.all(),
      brokerOrders: sim.orders(),
      doubleLive: tracker.violations,
      records,
    });
    findings.unshift(...check.findings);
    const outcomes = new Map<string, number>();
    for (const order of strategy.requested.values()) {
      const key = `${order.kind} ${records.latest.get(order.clientOrderId)?.state ?? 'unknown'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    log(`# final states: ${[...outcomes].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (logWatcher.errorKinds.size > 0) log(`# runtime error lines: ${[...logWatcher.errorKinds].map(([m, n]) => `${n}× ${m}`).join('; ')}`);
    log(`# order actors restarted by their supervisor: ${logWatcher.restartedOrders.size}; executions at the broker: ${sim.ledger.size}; breaks cleared by the operator after wipes: ${world.breakClearer.cleared}`);
    return {
      result: {
        orders: strategy.requested.size,
        faults: injected,
        lost: check.lost,
        duplicated: check.duplicated,
        phantom: check.phantom,
        unexplained: check.unexplained + problems,
        state_loss_detected: logWatcher.detections,
      },
      findings,
      notes,
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    await runtime.stop().catch(() => undefined);
    await fills?.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    for (const connection of [redisAdmin, producer, reader, fillsConnection]) connection.disconnect();
    tracker.stop();
    await sim.close();
    await redis.stop();
    logWatcher.close();
  }
}
