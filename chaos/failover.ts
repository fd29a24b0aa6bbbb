/**
 * The failover run: three tradewire nodes in one namespace (child processes) share a private
 * Redis and a standalone simulator (in this process). Orders of every kind stream in through the
 * admin API of any live node while the active node is killed (-9), paused past its lease
 * (SIGSTOP, then SIGCONT) or stopped gracefully (SIGTERM), in a seeded random order, and nodes
 * are started again so three are always configured. Takeover and handover are timed from the
 * fault until another node answers `GET /active`. At the end the simulator's ledgers are the
 * judge: nothing lost, doubled or invented, and nothing sent to the broker or written to an
 * order by a node after a newer lease token was issued (split brain), seen from outside the
 * nodes (the simulator's connection and message ledgers, Redis MONITOR).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Worker } from 'bullmq';
import winston from 'winston';
import { createLogger } from '../src/log/logger.ts';
import { TwsSimulator } from '../src/sim/index.ts';
import { deriveSeed, SeededRandom } from '../src/shared/seededRandom.ts';
import { CommissionRecords } from './_failoverCommissions.ts';
import { unbookedExecutions } from './_failoverDiagnosis.ts';
import { HEALTHY_TIMEOUT_MS, injectFailover, type FaultWorld } from './_failoverFaults.ts';
import { LeaseMonitor } from './_failoverFencing.ts';
import { adminJobSender, newIntakeStats } from './_failoverIntake.ts';
import { LoopLag } from './_failoverLag.ts';
import { FailoverCluster, type FailoverNode } from './_failoverNodes.ts';
import { ForeignBreakClearer } from './_failoverOperator.ts';
import { FAILOVER_FAULTS, failoverSchedule, percentile, type FailoverFault, type FailoverFaultCounts } from './_failoverSchedule.ts';
import { attributeConnections, SocketOwners, type IbConnectedLine } from './_failoverSends.ts';
import { settle, strandedOrders } from './_failoverSettle.ts';
import { judgeSplitBrain } from './_failoverSplitBrain.ts';
import { checkAgainstLedger } from './_ledgerCheck.ts';
import { LiveOrderTracker } from './_liveOrders.ts';
import { ACCOUNT, type MarketView, type OrderKind } from './_orderMix.ts';
import { consumeFills, readOrderStore } from './_recordCollectors.ts';
import { PrivateRedis } from './_redisServer.ts';
import { RuntimeLogWatcher } from './_runtimeLog.ts';
import { writeChaosConfig } from './_runtimeConfig.ts';
import { ChaosStrategy } from './_strategy.ts';
import { every, sleep } from './_time.ts';

/** The IB client id every node asks for first, and its fallbacks (moved to on 326: the id is still held). */
export const PRIMARY_CLIENT_ID = 7;
export const FALLBACK_CLIENT_IDS = [8, 9] as const;

export interface FailoverTargets {
  /** Kill -9 or SIGSTOP until another node answers `/active`. */
  takeoverMaxMs: number;
  /** SIGTERM until another node answers `/active`. */
  handoverMaxMs: number;
}

export const DEFAULT_TARGETS: FailoverTargets = { takeoverMaxMs: 5_000, handoverMaxMs: 1_000 };

export interface FailoverOptions {
  seed: number;
  orders: number;
  /** The orders are spread over this long; the faults run meanwhile (and after it, if they take longer). */
  streamMs: number;
  faults: FailoverFaultCounts;
  /** The quiet time before each fault, with a healthy cluster (three ready nodes, one active). */
  gap?: { minMs: number; maxMs: number };
  /** After the stream and the faults: how long every order gets to finish. */
  settleTimeoutMs: number;
  /** Absent: the runtime's defaults (config/default.json: 3 s TTL, 1 s renew), the figures to quote. */
  lease?: { ttlMs: number; renewMs: number };
  /** Takeover and handover times above these are findings (failoverPassed checks the result against them). */
  targets?: FailoverTargets;
  log?: (line: string) => void;
  /** Every node's log lines, each prefixed with its node id, are appended here. */
  runtimeLogFile?: string;
}

export interface FailoverResult {
  orders: number;
  /** Faults after which another node answered `/active` (every kind). */
  takeovers: number;
  /** Over kill -9 and SIGSTOP (unplanned takeovers); null when there were none. */
  takeover_p50_ms: number | null;
  takeover_max_ms: number | null;
  /** Over SIGTERM (graceful handovers). */
  handover_p50_ms: number | null;
  handover_max_ms: number | null;
  lost: number;
  duplicated: number;
  /** Broker messages plus order writes made by a node after a newer lease token was issued. */
  split_brain_sends: number;
  split_brain_broker_messages: number;
  split_brain_order_writes: number;
  /** Broker messages stamped after a newer token but within the stamp's lag of it (may have left before it): noted, not counted. */
  split_brain_in_flight: number;
  phantom: number;
  unexplained: number;
  faults: Record<FailoverFault, number>;
  takeover_ms: Record<FailoverFault, number[]>;
  kinds: Record<OrderKind, number>;
  cancels: number;
  modifies: number;
  /** Orders left working at the broker under an IB client id the active session is not (see README): not lost. */
  foreign_working: number;
  /** foreign_client_order breaks the run, as the operator, cleared (so the instrument trades again). */
  foreign_breaks_cleared: number;
  /** Commissions a published fill said were pending that never came on the fills queue (an accounting gap, not a failure). */
  commissions_missing: number;
  broker_messages: number;
  order_writes: number;
  lease_tokens: number;
  seed: number;
}

export interface FailoverOutcome {
  result: FailoverResult;
  findings: string[];
  notes: string[];
}

export function failoverPassed(result: FailoverResult, targets: FailoverTargets = DEFAULT_TARGETS): boolean {
  const faults = FAILOVER_FAULTS.reduce((sum, kind) => sum + result.faults[kind], 0);
  return (
    result.lost + result.duplicated + result.split_brain_sends + result.phantom + result.unexplained === 0 &&
    result.takeovers === faults &&
    (result.takeover_max_ms ?? 0) <= targets.takeoverMaxMs &&
    (result.handover_max_ms ?? 0) <= targets.handoverMaxMs
  );
}

/** The lease timing nodes run with when none is configured: the defaults the README figures are for. */
export function defaultLeaseTiming(): { ttlMs: number; renewMs: number } {
  const defaults = JSON.parse(readFileSync(new URL('../config/default.json', import.meta.url), 'utf8')) as { lease: { ttlMs: number; renewMs: number } };
  return defaults.lease;
}

const NODES = 3;

export async function runFailover(options: FailoverOptions): Promise<FailoverOutcome> {
  const log = options.log ?? (() => {});
  const findings: string[] = [];
  const notes: string[] = [];
  let problems = 0;
  const problem = (line: string) => {
    problems += 1;
    findings.push(`unexplained: ${line}`);
    log(`# FAILURE ${line}`);
  };
  const note = (line: string) => {
    notes.push(line);
    log(`# note: ${line}`);
  };
  const lease = options.lease ?? defaultLeaseTiming();
  const namespace = `failover-${options.seed}`;
  const runId = `fo${options.seed}`;

  // The simulator stamps each message when this process's event loop gets to it: how late that
  // can be bounds how late a stamp is (a message stamped just after a newer token was sent before it).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const lag = new LoopLag();
  lag.start();
  const redis = await PrivateRedis.start();
  // The simulator's own log goes to stderr: stdout is for the run's progress and its result line.
  const simLogger = createLogger({ level: 'warn', transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })] });
  // The first fallback client id is TWS's master API client: a node that had to take it (the old
  // session still held the primary) still hears of the orders the old session placed.
  const sim = new TwsSimulator({
    clock: process.env.TRADEWIRE_SIM_CLOCK,
    seed: options.seed,
    tickIntervalMs: 100,
    pacing: { enabled: false },
    accounts: [{ id: ACCOUNT, cash: 100_000_000 }],
    masterClientId: FALLBACK_CLIENT_IDS[0],
    logger: simLogger,
  });
  const { port: simPort } = await sim.listen(0);
  const monitor = await LeaseMonitor.start((name) => redis.connect(name), namespace);
  const tracker = new LiveOrderTracker(sim);
  const records = new CommissionRecords();
  const market: MarketView = { price: (symbol) => sim.price(symbol), tickSize: (symbol) => sim.catalogue.bySymbolName(symbol)!.tickSize };
  const watcher = new RuntimeLogWatcher(records);
  const file: WriteStream | null = options.runtimeLogFile ? createWriteStream(options.runtimeLogFile, { flags: 'a' }) : null;
  const ibLines: IbConnectedLine[] = [];
  const token = randomBytes(16).toString('hex');
  const configFile = writeChaosConfig(simPort, (config) => {
    // One namespace, several nodes: a state file would be one node's view of shared state.
    config.redis.stateFile = false;
    config.broker.ib.extraClientIds = [...FALLBACK_CLIENT_IDS];
  });
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    TRADEWIRE_CONFIG: configFile,
    TRADEWIRE_NAMESPACE: namespace,
    TRADEWIRE_BROKER: 'ib',
    TRADEWIRE_IB_HOST: '127.0.0.1',
    TRADEWIRE_IB_PORT: String(simPort),
    TRADEWIRE_IB_CLIENT_ID: String(PRIMARY_CLIENT_ID),
    TRADEWIRE_ADMIN_PORT: '0',
    TRADEWIRE_ADMIN_TOKEN: token,
    TRADEWIRE_LOG_LEVEL: 'info',
    ...(options.lease ? { TRADEWIRE_LEASE_TTL_MS: String(options.lease.ttlMs), TRADEWIRE_LEASE_RENEW_MS: String(options.lease.renewMs) } : {}),
  };
  const cluster = new FailoverCluster(NODES, env, (node, line) => {
    file?.write(`${node.nodeId} ${line}\n`);
    watcher.onLine(line);
    if (line.includes('"message":"ib connected"')) {
      const last = node.facts.ibConnected.at(-1);
      if (last) ibLines.push({ nodeId: node.nodeId, clientId: last.clientId, at: last.at });
    }
  });
  const reader = redis.connect('reader', { autoPipelining: true });
  const fillsConnection = redis.connect('fills');
  let fills: Worker | null = null;
  const intake = newIntakeStats();
  const strategy = new ChaosStrategy({
    send: adminJobSender(cluster, token, new SeededRandom(deriveSeed(options.seed, 'intake')), intake, (line) => problem(line)),
    rng: new SeededRandom(deriveSeed(options.seed, 'orders')),
    runId,
    market,
    tracker,
    total: options.orders,
  });
  const breaks = new ForeignBreakClearer(reader, namespace, cluster, token, note);
  const sockets = new SocketOwners(simPort);
  const schedule = failoverSchedule(new SeededRandom(deriveSeed(options.seed, 'failover-faults')), options.faults, options.gap ?? { minMs: 2_000, maxMs: 5_000 });
  const timers: NodeJS.Timeout[] = [];
  let restarting = 0;

  const owners = () => attributeConnections(sim.ledger.connections(), ibLines, sockets.seen).owner;
  const waitHealthy = async (): Promise<FailoverNode | null> => {
    const deadline = Date.now() + HEALTHY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const active = restarting === 0 ? await cluster.healthy() : null;
      if (active) return active;
      await sleep(100);
    }
    return null;
  };
  const replace = async (node: FailoverNode) => {
    restarting += 1;
    try {
      const next = await cluster.start(node.slot - 1);
      log(`#   ${next.nodeId} started in place of ${node.nodeId} (pid ${next.pid})`);
    } finally {
      restarting -= 1;
    }
  };
  const world: FaultWorld = {
    cluster,
    ttlMs: lease.ttlMs,
    measured: Object.fromEntries(FAILOVER_FAULTS.map((k) => [k, [] as number[]])) as Record<FailoverFault, number[]>,
    timings: [],
    injected: Object.fromEntries(FAILOVER_FAULTS.map((k) => [k, 0])) as Record<FailoverFault, number>,
    hasOpenSession: (nodeId) => {
      const known = owners();
      return sim.ledger.connections({ open: true }).some((c) => known.get(c.connectionId) === nodeId);
    },
    replace,
    waitHealthy,
    log,
    problem,
  };

  try {
    // One node first, so the first lease is not a race nobody looks at; then the standbys.
    const first = await cluster.start(0);
    if (!(await untilAsync(() => first.isActive(), 30_000))) throw new Error(`${first.nodeId} did not become active within 30 s`);
    await Promise.all([cluster.start(1), cluster.start(2)]);
    if (!(await waitHealthy())) throw new Error('the three nodes did not settle into one active and two standbys');
    fills = consumeFills(fillsConnection, records, namespace);
    log(`# nodes ${cluster.all.map((n) => `${n.nodeId} (pid ${n.pid})`).join(', ')} in namespace ${namespace}; ${first.nodeId} active; lease TTL ${lease.ttlMs} ms, renew ${lease.renewMs} ms`);
    log(`# simulator on ${simPort} (client ids ${PRIMARY_CLIENT_ID}, then ${FALLBACK_CLIENT_IDS.join(', ')}; master ${FALLBACK_CLIENT_IDS[0]}), private Redis on ${redis.port} (MONITOR on)`);
    log(`# schedule: ${schedule.map((f) => `${f.kind}${f.kind === 'pause' ? `(+${f.pauseExtraMs}ms)` : ''} after ${(f.gapMs / 1000).toFixed(1)}s`).join(', ')}`);

    timers.push(every(1_000, () => readOrderStore(reader, records, namespace)));
    timers.push(every(1_000, () => breaks.sweep()));
    timers.push(every(250, () => sockets.refresh(sim.ledger.connections(), cluster.all.filter((n) => !n.exited).map((n) => ({ nodeId: n.nodeId, pid: n.pid })))));
    // A node that dies when nobody stopped it is a failure; another is started in its place.
    timers.push(
      every(500, async () => {
        for (const node of cluster.slots) {
          if (!node || !node.exited || node.leaving) continue;
          node.leaving = true;
          problem(`${node.nodeId} exited on its own; last lines:\n${node.lastLines(10).join('\n')}`);
          await replace(node).catch((error: Error) => log(`# could not restart ${node.nodeId}: ${error.message}`));
        }
      }),
    );

    const startedAt = Date.now();
    const stream = (async () => {
      while (!strategy.allSubmitted) {
        // A job no node took (see adminJobSender) is a failure; the stream goes on.
        await strategy.streamDue(Date.now() - startedAt, options.streamMs).catch((error: Error) => problem(`order intake: ${error.message}`));
        await strategy.runDueSteps(new Set()).catch((error: Error) => problem(`order intake: ${error.message}`));
        await sleep(50);
      }
    })();
    const faults = (async () => {
      for (const [index, fault] of schedule.entries()) {
        const label = `fault ${index + 1}/${schedule.length} ${fault.kind}`;
        await injectFailover(world, fault, label).catch((error: Error) => problem(`${label} failed: ${error.message}`));
      }
    })();
    await Promise.all([stream, faults]);
    if (!(await waitHealthy())) problem('the cluster was not healthy after the last fault');
    log(`# ${strategy.requested.size} orders out through the admin API (${[...intake.taken].map(([id, n]) => `${id} ${n}`).join(', ')}; ${intake.retried} attempts retried elsewhere); settling`);

    const parentOfChild = new Map<string, string>();
    for (const order of strategy.requested.values()) for (const child of order.childIds) parentOfChild.set(child, order.clientOrderId);
    const ownerOf = (orderRef: string) => (strategy.requested.has(orderRef) ? orderRef : (records.parentOf.get(orderRef) ?? parentOfChild.get(orderRef)));
    const { pending, stranded } = await settle(
      {
        strategy,
        tracker,
        records,
        runId,
        executions: () => sim.ledger.all(),
        readStore: () => readOrderStore(reader, records, namespace),
        stranded: async () => {
          const actives = await cluster.activeNodes();
          return strandedOrders(actives.length === 1 ? actives[0]!.nodeId : null, sim.ledger.connections(), owners(), sim.orders(), ownerOf);
        },
        note,
        problem,
      },
      options.settleTimeoutMs,
    );
    log(`# settled: ${pending.length} orders not finished${pending.length ? ` (${pending.slice(0, 10).join(', ')}${pending.length > 10 ? ', ...' : ''})` : ''}; ${stranded.size} left working under another client id`);

    const check = checkAgainstLedger({ requested: strategy.requested, executions: sim.ledger.all(), brokerOrders: sim.orders(), doubleLive: tracker.violations, records, excused: stranded });
    findings.unshift(...check.findings);
    for (const line of check.excused) note(`left working: ${line}`);

    const splitBrain = judgeSplitBrain({
      connections: sim.ledger.connections(),
      messages: sim.ledger.messages(),
      ibLines,
      sockets: sockets.seen,
      acquisitions: monitor.acquisitions,
      writes: monitor.writes,
      logged: cluster.all.flatMap((node) => node.facts.acquisitions.map((a) => ({ nodeId: node.nodeId, token: a.token }))),
      stampSlack: (at) => lag.slackAt(at),
    });
    for (const line of splitBrain.problems) problem(line);
    for (const line of splitBrain.inFlight) note(`in flight at a takeover (not counted): ${line}`);
    findings.push(...splitBrain.findings);
    if (check.lost > 0) {
      const unbooked = unbookedExecutions({
        executions: sim.ledger.all(),
        published: records.published,
        acquisitions: monitor.acquisitions,
        connections: sim.ledger.connections(),
        owners: owners(),
        masterClientId: FALLBACK_CLIENT_IDS[0],
      });
      for (const line of unbooked) note(`unbooked ${line}`);
    }

    const outcomes = new Map<string, number>();
    const kinds = { MKT: 0, LMT: 0, STP: 0, TWAP: 0, CHASE: 0 } as Record<OrderKind, number>;
    for (const order of strategy.requested.values()) {
      kinds[order.kind] += 1;
      const key = `${order.kind} ${records.latest.get(order.clientOrderId)?.state ?? 'unknown'}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    log(`# final states: ${[...outcomes].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (watcher.errorKinds.size > 0) log(`# node error lines: ${[...watcher.errorKinds].map(([m, n]) => `${n}× ${m}`).join('; ')}`);
    log(`# this process's event-loop delay (the simulator's stamping lag): p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms, max ${Math.round(loopDelay.max / 1e6)} ms`);
    log(
      `# checked ${sim.ledger.messages().length} broker messages on ${splitBrain.sessions} sessions, ${monitor.writes.length} order writes and ${monitor.acquisitions.length} lease tokens (${monitor.lines} MONITOR lines); ${sim.ledger.size} executions at the broker; ${breaks.cleared} foreign_client_order breaks cleared by the operator`,
    );

    const { measured, injected } = world;
    const targets = options.targets ?? DEFAULT_TARGETS;
    for (const { kind, ms, line } of world.timings) {
      const target = kind === 'handover' ? targets.handoverMaxMs : targets.takeoverMaxMs;
      if (ms > target) findings.push(`target missed (${kind === 'handover' ? 'handover' : 'takeover'} ≤ ${target} ms): ${line}`);
    }
    const unplanned = [...measured.kill, ...measured.pause];
    return {
      result: {
        orders: strategy.requested.size,
        takeovers: FAILOVER_FAULTS.reduce((sum, kind) => sum + measured[kind].length, 0),
        takeover_p50_ms: percentile(unplanned, 50),
        takeover_max_ms: percentile(unplanned, 100),
        handover_p50_ms: percentile(measured.handover, 50),
        handover_max_ms: percentile(measured.handover, 100),
        lost: check.lost,
        duplicated: check.duplicated,
        split_brain_sends: splitBrain.sends + splitBrain.writes,
        split_brain_broker_messages: splitBrain.sends,
        split_brain_order_writes: splitBrain.writes,
        split_brain_in_flight: splitBrain.inFlight.length,
        phantom: check.phantom,
        unexplained: check.unexplained + problems,
        faults: injected,
        takeover_ms: measured,
        kinds,
        cancels: intake.byType.cancel,
        modifies: intake.byType.modify,
        foreign_working: check.excused.length,
        foreign_breaks_cleared: breaks.cleared,
        commissions_missing: records.missingCommissions(),
        broker_messages: sim.ledger.messages().length,
        order_writes: monitor.writes.length,
        lease_tokens: monitor.acquisitions.length,
        seed: options.seed,
      },
      findings,
      notes,
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    loopDelay.disable();
    lag.stop();
    await cluster.stopAll().catch(() => undefined);
    await fills?.close().catch(() => undefined);
    await monitor.stop();
    for (const connection of [reader, fillsConnection]) connection.disconnect();
    tracker.stop();
    await sim.close();
    await redis.stop();
    watcher.close();
    file?.end();
  }
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}
