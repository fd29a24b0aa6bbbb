import { PACKAGE_ROOT } from '../packageRoot.ts';
import { futureContract } from '../ib/parsing/contracts.ts';
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import { createMonitorLogic } from '../actors/regulatory/monitorActor.ts';
import { monitorEventSchemaWithin, REGULATORY_MONITOR_ID, type AnnounceParams, type MonitorContext, type MonitorEvent, type MonitorInput } from '../machines/regulatory/monitor/monitorTypes.ts';
import { loadMonitorStateOrNothing } from '../regulatory/monitoring/monitorState.ts';
import { MIN_RETENTION_YEARS } from '../audit/retentionConfig.ts';
import { CLOSE_DEAD_LETTER_QUEUE, CloseDeadLetters } from '../regulatory/monitoring/closeDeadLetters.ts';
import { startCloseReplayWorker, type CloseReplayWorker } from '../regulatory/monitoring/closeReplayWorker.ts';
import { closeWindowAt } from '../regulatory/monitoring/closeWindow.ts';
import { CftcReportEngine } from '../regulatory/cftc/cftcReportEngine.ts';
import { loadLevelConfig, type LevelConfig } from '../regulatory/cftc/levels/loadLevelConfig.ts';
import type { ReportingFill } from '../regulatory/cftc/positions/reportingPositionBook.ts';
import { busFillSchema, executionsOf } from '../regulatory/monitoring/busFill.ts';
import { ContractMonthResolver } from '../regulatory/monitoring/contractMonthResolver.ts';
import { announceCrossings, levelAlertCounter } from '../regulatory/monitoring/levelAlerts.ts';
import { regulatoryMonitorConfigOf, type RegulatoryMonitorConfig } from '../regulatory/monitoring/monitoringConfig.ts';
import type { ReportIntakeResult } from '../regulatory/pipeline/reportIntake.ts';
import type { Jurisdiction, ReportEngine, ReportRequest } from '../regulatory/reportTypes.ts';
import { RedisPositionSource } from '../regulatory/sources/redisPositionSource.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import { IB_CONNECTION_ID } from './ibConnectionChild.ts';
import type { RuntimeResources } from './runtimeResources.ts';

export const REGULATORY_SUPERVISOR_ID = 'regulatory';
export { REGULATORY_MONITOR_ID };

/** The package root: config paths such as `config/regulatory/...` are relative to it, not to the cwd. */
export { PACKAGE_ROOT };

/** What the regulatory runtime reads of the configuration (its keys are under `namespace`). */
export type RegulatoryHostConfig = Pick<Config, 'namespace' | 'supervision' | 'regulatory'> & {
  regulatoryMonitor?: unknown;
  /** audit.retention.retentionYears bounds how old a closed day may be (5 years when absent). */
  audit?: { retention: { retentionYears: number } };
};
type RegulatoryResources = Pick<RuntimeResources, 'redis' | 'logger' | 'ibSessions'>;
type Enqueue = (request: ReportRequest) => Promise<ReportIntakeResult>;

/**
 * What the monitor's I/O needs from the running process, bound late: the subtree is built before
 * the tree (and so the bus and the metrics registry) exists, and the reports intake starts after.
 */
interface Wiring {
  positions: RedisPositionSource;
  levels: LevelConfig;
  publish: ((topic: string, payload: unknown) => void) | null;
  counter: ReturnType<typeof levelAlertCounter> | null;
  enqueue: Enqueue | null;
  /** Where failed closes go (`regulatory-close:dead`), and the BullMQ prefix of its queue (the namespace's). */
  deadLetters: CloseDeadLetters;
  queuePrefix: string;
}

export interface RegulatorySubtreeOptions {
  packageRoot?: string;
  /** The clock of the injection window check (and of the monitor's "today"); the system clock by default. */
  now?: () => number;
}

const wirings = new WeakMap<object, Wiring>();

function levelConfigOf(config: RegulatoryHostConfig, packageRoot: string): LevelConfig {
  return loadLevelConfig(config.regulatory.levelsPath, config.regulatory.instrumentMapPath, packageRoot);
}

/** Futures contracts of a symbol from the broker (one listed month places a fill that carries no expiry). */
function contractLookup(session: () => IbSession | undefined) {
  return async (symbol: string) => {
    const ib = session();
    if (!ib) throw new Error(`no IB session '${IB_CONNECTION_ID}' to look up ${symbol} contracts`);
    const details = await ib.contractDetails(futureContract(symbol));
    return details.flatMap((d) => (d.contract?.localSymbol && d.contract.lastTradeDateOrContractMonth ? [{ localSymbol: d.contract.localSymbol, lastTradeDateOrContractMonth: d.contract.lastTradeDateOrContractMonth }] : []));
  };
}

// One resolver per resources: the seed and the bus fills share its cache.
const resolvers = new WeakMap<object, ContractMonthResolver>();
function resolverOf(resources: RegulatoryResources): ContractMonthResolver {
  let resolver = resolvers.get(resources);
  if (!resolver) {
    resolver = new ContractMonthResolver(contractLookup(() => resources.ibSessions.get(IB_CONNECTION_ID)));
    resolvers.set(resources, resolver);
  }
  return resolver;
}

/** For /actors: who is reportable now, and how the monitor is doing. */
function monitorDetails(snapshot: { value: unknown; context: MonitorContext }): Record<string, unknown> {
  const { context } = snapshot;
  return {
    state: snapshot.value,
    reportable: context.watch.reportable(),
    positions: context.watch.positions().length,
    unmappedSymbols: context.watch.unmapped,
    lastClose: context.lastClose,
    lastError: context.lastError,
    waitingFills: context.pending.length,
    queuedCloses: context.queuedCloses.map((close) => ({ day: close.day, attempts: close.attempts })),
    failedCloses: context.failedCloses,
  };
}

/** For /ready: closes given up since the monitor started, until a later close of the same day succeeds. */
function failedCloseReasons(context: MonitorContext | undefined, deadLetters: CloseDeadLetters): string[] {
  const unwritten = deadLetters.pending().filter((close) => close.lastError !== null);
  const reasons = unwritten.map(
    (close) => `regulatory day close of ${close.day ?? 'today'} failed (${close.reason}) and is not in ${CLOSE_DEAD_LETTER_QUEUE} yet: ${close.lastError}`,
  );
  for (const close of context?.failedCloses ?? []) {
    if (unwritten.some((u) => u.day === close.day)) continue;
    reasons.push(
      `regulatory day close of ${close.day ?? 'today'} failed after ${close.attempts} attempt(s) (${close.reason}); dead-lettered to ${CLOSE_DEAD_LETTER_QUEUE}: replay it with tradewire dlq replay, or inject CLOSE_DAY for the day once the cause is fixed`,
    );
  }
  return reasons;
}

/**
 * The `regulatory` supervisor with the reportable-level monitor (`regulatory-monitor`). Null when
 * the `regulatoryMonitor` block is absent or disabled; the CFTC engine still runs (startRegulatory).
 */
export function regulatorySubtree(config: RegulatoryHostConfig, resources: RegulatoryResources, options: RegulatorySubtreeOptions = {}): ChildSpec | null {
  const monitor = regulatoryMonitorConfigOf(config.regulatoryMonitor);
  if (!monitor?.enabled) return null;
  const retentionYears = config.audit?.retention.retentionYears ?? MIN_RETENTION_YEARS;
  const now = options.now ?? (() => Date.now());
  const keys = namespaceKeys(config.namespace);
  const wiring: Wiring = {
    positions: new RedisPositionSource(resources.redis, keys.regulatoryPositions(monitor.keyPrefix)),
    levels: levelConfigOf(config, options.packageRoot ?? PACKAGE_ROOT),
    publish: null,
    counter: null,
    enqueue: null,
    deadLetters: new CloseDeadLetters({ redis: resources.redis, logger: resources.logger, retryMs: monitor.closeRetryMs, closeAttempts: monitor.closeAttempts, prefix: keys.bullPrefix }),
    queuePrefix: keys.bullPrefix,
  };
  wirings.set(resources, wiring);
  const announce = (params: AnnounceParams) =>
    announceCrossings(
      { logger: resources.logger, publish: (topic, payload) => wiring.publish?.(topic, payload), counter: wiring.counter ?? noCounter },
      params.crossings,
      params.atSeed,
    );
  const logic = createMonitorLogic({
    brokerSnapshot: async () => {
      const session = resources.ibSessions.get(IB_CONNECTION_ID);
      if (!session) throw new Error(`no IB session '${IB_CONNECTION_ID}'`);
      return session.brokerSnapshot();
    },
    resolver: resolverOf(resources),
    positions: wiring.positions,
    enqueue: () => wiring.enqueue,
    schedule: monitor,
    retentionYears,
    logger: resources.logger,
    announce,
    deadLetterClose: (failure) => wiring.deadLetters.record(failure),
    ...(options.now ? { now: options.now } : {}),
  });
  const { intensity, periodMs, backoff } = config.supervision;
  return supervisor(REGULATORY_SUPERVISOR_ID, {
    strategy: 'one_for_one',
    intensity,
    periodMs,
    backoff,
    children: [
      {
        id: REGULATORY_MONITOR_ID,
        kind: 'regulatory-monitor',
        logic,
        // Every start and restart reloads what Redis knows of earlier closes; the book is seeded from the broker.
        start: async (): Promise<MonitorInput> => ({
          instruments: wiring.levels.instruments,
          seedRetryMs: monitor.seedRetryMs,
          closeRetryMs: monitor.closeRetryMs,
          closeAttempts: monitor.closeAttempts,
          restored: await loadMonitorStateOrNothing({ positions: wiring.positions, deadLetters: wiring.deadLetters }, resources.logger),
        }),
        eventSchema: monitorEventSchemaWithin(() => closeWindowAt(now(), { closeTimeZone: monitor.closeTimeZone, retentionYears })),
        details: monitorDetails,
      },
    ],
  });
}

const noCounter = { inc: () => undefined } as unknown as ReturnType<typeof levelAlertCounter>;

export interface RegulatoryRuntime {
  /** For startReports: the CFTC engine over the runtime's close-of-day positions. */
  engines: Map<Jurisdiction, ReportEngine>;
  positionSource: RedisPositionSource;
  /** Connects the day close to the `reports` intake (startReports' result; null when reports are off). */
  useReports(reports: { enqueue(request: unknown): Promise<ReportIntakeResult> } | null): void;
  stop(): Promise<void>;
}

export interface StartRegulatoryOptions {
  packageRoot?: string;
}

/**
 * Builds the CFTC engine over the Redis close-of-day positions and, when the monitor runs, feeds
 * it the `order.fill` bus events and binds its alerts to the bus and the metrics registry.
 * Call before startReports (which takes `engines`), then `useReports` with what that returns.
 */
export async function startRegulatory(
  config: RegulatoryHostConfig,
  runtime: { tree: SupervisionTree; metricsRegistry: Registry; addReadinessCheck?(name: string, check: () => string[]): () => void },
  resources: RegulatoryResources,
  options: StartRegulatoryOptions = {},
): Promise<RegulatoryRuntime> {
  const packageRoot = options.packageRoot ?? PACKAGE_ROOT;
  const monitor: RegulatoryMonitorConfig | null = regulatoryMonitorConfigOf(config.regulatoryMonitor);
  // The supervisor, not the monitor: the monitor may still be loading its state (its start function).
  const wiring = runtime.tree.get(REGULATORY_SUPERVISOR_ID) ? wirings.get(resources) : undefined;
  const positionSource = wiring?.positions ?? new RedisPositionSource(resources.redis, namespaceKeys(config.namespace).regulatoryPositions(monitor?.keyPrefix));
  const engine = new CftcReportEngine({ config: config.regulatory, levelConfig: wiring?.levels ?? levelConfigOf(config, packageRoot), positions: positionSource });
  let unsubscribe = () => {};
  let removeReadinessCheck = () => {};
  let replays: CloseReplayWorker | null = null;
  if (wiring) {
    const { tree } = runtime;
    const bus = tree.services.bus;
    wiring.publish = (topic, payload) => bus.publish(topic, payload);
    wiring.counter = levelAlertCounter(runtime.metricsRegistry);
    unsubscribe = subscribeFills(tree, resources);
    const monitorContext = () => (tree.get(REGULATORY_MONITOR_ID)?.getSnapshot() as { context?: MonitorContext } | undefined)?.context;
    removeReadinessCheck = runtime.addReadinessCheck?.('regulatory-close', () => failedCloseReasons(monitorContext(), wiring.deadLetters)) ?? removeReadinessCheck;
    replays = startCloseReplayWorker({
      redis: resources.redis,
      logger: resources.logger,
      deliver: (event) => tree.send(REGULATORY_MONITOR_ID, event),
      deadLetters: wiring.deadLetters,
      prefix: wiring.queuePrefix,
    });
  }
  return {
    engines: new Map<Jurisdiction, ReportEngine>([['CFTC', engine]]),
    positionSource,
    useReports(reports) {
      if (wiring) wiring.enqueue = reports ? (request) => reports.enqueue(request) : null;
    },
    async stop() {
      unsubscribe();
      removeReadinessCheck();
      await replays?.close();
      if (wiring) {
        Object.assign(wiring, { publish: null, counter: null, enqueue: null });
        await wiring.deadLetters.stop();
      }
    },
  };
}

/**
 * `order.fill` → FILL events, in publication order: a fill waiting for its contract month (a
 * broker lookup) holds back the ones behind it, so crossings are announced in the order they happened.
 */
function subscribeFills(tree: SupervisionTree, resources: RegulatoryResources): () => void {
  const resolver = resolverOf(resources);
  let chain: Promise<void> = Promise.resolve();
  return tree.services.bus.subscribe(
    'order.fill',
    (payload) => {
      const parsed = busFillSchema.safeParse(payload);
      if (!parsed.success) {
        resources.logger.error('regulatory monitor cannot read an order.fill event; the position is not counted', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
        return;
      }
      const executions = executionsOf(parsed.data);
      const resolving = Promise.all(
        executions.map(async (execution): Promise<ReportingFill> => ({
          execId: execution.execId,
          account: execution.account,
          symbol: execution.symbol,
          contractMonth: await resolver.monthOf(execution.symbol, execution.expiry),
          side: execution.side,
          quantity: execution.quantity,
        })),
      );
      // Marked handled now: a failed lookup is reported in order below, not as an unhandled rejection.
      resolving.catch(() => undefined);
      chain = chain
        .then(() => resolving)
        .then(
          (fills) => {
            const event: MonitorEvent = { type: 'FILL', fills };
            tree.send(REGULATORY_MONITOR_ID, event);
          },
          (error: Error) => {
            resources.logger.error('regulatory monitor could not place a fill in a contract month; the position is not counted', {
              clientOrderId: parsed.data.clientOrderId,
              symbol: parsed.data.symbol,
              error: error.message,
            });
          },
        );
    },
    'regulatory-monitor',
  );
}
