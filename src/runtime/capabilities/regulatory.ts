import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { PACKAGE_ROOT } from '../../packageRoot.ts';
import type { Logger } from '../../log/logger.ts';
import { createMonitorLogic } from '../../actors/regulatory/monitorActor.ts';
import { monitorEventSchemaWithin, REGULATORY_MONITOR_ID, type AnnounceParams, type MonitorContext, type MonitorInput } from '../../machines/regulatory/monitor/monitorTypes.ts';
import { loadMonitorStateOrNothing } from '../../regulatory/monitoring/monitorState.ts';
import { MIN_RETENTION_YEARS } from '../../audit/retentionConfig.ts';
import { CloseDeadLetters } from '../../regulatory/monitoring/closeDeadLetters.ts';
import { startCloseReplayWorker, type CloseReplayWorker } from '../../regulatory/monitoring/closeReplayWorker.ts';
import { closeWindowAt } from '../../regulatory/monitoring/closeWindow.ts';
import { ContractMonthResolver } from '../../regulatory/monitoring/contractMonthResolver.ts';
import { announceCrossings, levelAlertCounter } from '../../regulatory/monitoring/levelAlerts.ts';
import { registerLevelFractions } from '../../regulatory/monitoring/levelMetrics.ts';
import { regulatoryMonitorConfigOf } from '../../regulatory/monitoring/monitoringConfig.ts';
import type { ReportIntakeResult } from '../../regulatory/pipeline/reportIntake.ts';
import type { ReportRequest } from '../../regulatory/reportTypes.ts';
import { namespaceKeys } from '../../redis/namespaceKeys.ts';
import type { ChildSpec } from '../../supervision/childSpec.ts';
import type { SupervisionTree } from '../../supervision/supervisionTree.ts';
import { supervisor } from '../../supervision/supervisorLogic.ts';
import { IB_CONNECTION_ID } from './ibConnectionChild.ts';
import type { BrokerSessions } from './broker.ts';
import type { Capability } from './capability.ts';
import { subscribeFills } from './regulatoryFills.ts';
import { failedCloseReasons, monitorDetails } from './regulatoryMonitorView.ts';
import { levelConfigOf, regulatoryPositions, type RegulatoryHostConfig } from './reportEngines.ts';
import type { ContractResolver } from '../../contracts/index.ts';
import { contractResolution } from './contractResolution.ts';
import type { Now } from '../../shared/clock.ts';

export const REGULATORY_SUPERVISOR_ID = 'regulatory';
export { REGULATORY_MONITOR_ID };

type Enqueue = (request: ReportRequest) => Promise<ReportIntakeResult>;

/** Where a day close files its large trader report: the reports capability's intake while it runs. */
export interface ReportIntake {
  /** Enqueues on the `reports` queue; null while reports do not run (the close is recorded, no report enqueued). */
  enqueuer(): Enqueue | null;
}

export interface RegulatoryCapabilityDeps {
  config: RegulatoryHostConfig;
  tree: SupervisionTree;
  metricsRegistry: Registry;
  /** /ready names a day close that failed. */
  readiness: { addReadinessCheck(name: string, check: () => string[]): () => void };
  redis: Redis;
  /** The broker seeds the monitor's book and resolves fills' contract months. */
  broker: BrokerSessions;
  /** The process's contract-month resolver (positions and fills are keyed by contract month through it); absent, one of its own. */
  contracts: ContractResolver;
  /** Null where reports are not part of this process. */
  reports: ReportIntake | null;
  logger: Logger;
  packageRoot?: string;
  /** The clock of the injection window check (and of the monitor's "today"); the system clock by default. */
  now?: Now;
}

/** What one start of the monitor holds. */
interface Monitor {
  deadLetters: CloseDeadLetters;
  queuePrefix: string;
  /** What `start` added beside the actor (fills, readiness, replays), undone by `stop`. */
  started: { unsubscribe: () => void; removeReadinessCheck: () => void; replays: CloseReplayWorker } | null;
}

/**
 * The reportable-level monitor (`regulatory-monitor`) under the `regulatory` supervisor: fed the
 * `order.fill` bus events, it announces crossings on the bus and in metrics, closes each day into
 * the Redis positions and files the day's report through the reports intake. No subtree when the
 * `regulatoryMonitor` block is absent or disabled.
 */
export class RegulatoryCapability implements Capability {
  readonly name = 'regulatory';
  private monitor: Monitor | null = null;
  // One per process: the seed and the bus fills share its cache, across starts.
  private readonly resolver: ContractMonthResolver;

  constructor(private readonly deps: RegulatoryCapabilityDeps) {
    // Contract months through the reference-data cache (memory, then Redis), asking IB only on a miss.
    this.resolver = new ContractMonthResolver(deps.contracts);
    registerLevelFractions(deps.metricsRegistry, () => (deps.tree.get(REGULATORY_MONITOR_ID)?.getSnapshot() as { context?: MonitorContext } | undefined)?.context?.watch ?? null);
  }

  childSpec(): ChildSpec | null {
    const { config, redis, logger, broker, tree } = this.deps;
    this.monitor = null;
    const schedule = regulatoryMonitorConfigOf(config.regulatoryMonitor);
    if (!schedule?.enabled) return null;
    const retentionYears = config.audit?.retention.retentionYears ?? MIN_RETENTION_YEARS;
    const now = this.deps.now ?? (() => Date.now());
    const keys = namespaceKeys(config.namespace);
    const positions = regulatoryPositions(config, redis);
    const levels = levelConfigOf(config, this.deps.packageRoot ?? PACKAGE_ROOT);
    const deadLetters = new CloseDeadLetters({ redis, logger, retryMs: schedule.closeRetryMs, closeAttempts: schedule.closeAttempts, prefix: keys.bullPrefix });
    const monitor: Monitor = { deadLetters, queuePrefix: keys.bullPrefix, started: null };
    this.monitor = monitor;
    const counter = levelAlertCounter(this.deps.metricsRegistry);
    const bus = tree.services.bus;
    const announce = (params: AnnounceParams) => announceCrossings({ logger, publish: (topic, payload) => bus.publish(topic, payload), counter }, params.crossings, params.atSeed);
    const logic = createMonitorLogic({
      brokerSnapshot: async () => {
        const session = broker.session(IB_CONNECTION_ID);
        if (!session) throw new Error(`no IB session '${IB_CONNECTION_ID}'`);
        return session.brokerSnapshot();
      },
      resolver: this.resolver,
      positions,
      enqueue: () => this.deps.reports?.enqueuer() ?? null,
      schedule,
      retentionYears,
      logger,
      announce,
      deadLetterClose: (failure) => deadLetters.record(failure),
      ...(this.deps.now ? { now: this.deps.now } : {}),
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
            instruments: levels.instruments,
            seedRetryMs: schedule.seedRetryMs,
            closeRetryMs: schedule.closeRetryMs,
            closeAttempts: schedule.closeAttempts,
            restored: await loadMonitorStateOrNothing({ positions, deadLetters }, logger),
          }),
          eventSchema: monitorEventSchemaWithin(() => closeWindowAt(now(), { closeTimeZone: schedule.closeTimeZone, retentionYears })),
          details: monitorDetails,
        },
      ],
    });
  }

  async start(): Promise<void> {
    const monitor = this.monitor;
    // The supervisor, not the monitor: the monitor may still be loading its state (its start function).
    if (!monitor || !this.deps.tree.get(REGULATORY_SUPERVISOR_ID)) return;
    const { tree, redis, logger } = this.deps;
    const monitorContext = () => (tree.get(REGULATORY_MONITOR_ID)?.getSnapshot() as { context?: MonitorContext } | undefined)?.context;
    monitor.started = {
      unsubscribe: subscribeFills(tree, this.resolver, logger),
      removeReadinessCheck: this.deps.readiness.addReadinessCheck('regulatory-close', () => failedCloseReasons(monitorContext(), monitor.deadLetters)),
      replays: startCloseReplayWorker({ redis, logger, deliver: (event) => tree.send(REGULATORY_MONITOR_ID, event), deadLetters: monitor.deadLetters, prefix: monitor.queuePrefix }),
    };
  }

  async stop(): Promise<void> {
    const monitor = this.monitor;
    if (!monitor) return;
    this.monitor = null;
    const started = monitor.started;
    monitor.started = null;
    if (started) {
      started.unsubscribe();
      started.removeReadinessCheck();
      await started.replays.close();
    }
    await monitor.deadLetters.stop();
  }
}
