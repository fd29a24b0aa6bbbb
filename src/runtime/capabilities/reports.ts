import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/logger.ts';
import { CircuitBreaker, type CircuitBreakerRef } from '../../actors/circuitBreaker.ts';
import { circuitBreakerEventSchema, createCircuitBreakerMachine, type CircuitBreakerSnapshot } from '../../machines/circuitBreaker/circuitBreakerMachine.ts';
import { enqueueReport, type ReportIntakeResult } from '../../regulatory/pipeline/reportIntake.ts';
import { REPORTS_QUEUE_NAME } from '../../regulatory/pipeline/reportJob.ts';
import { registerReportMetrics } from '../../regulatory/pipeline/reportMetrics.ts';
import { configuredTransports, reportsConfigSchema, type ReportsConfig } from '../../regulatory/pipeline/reportsConfig.ts';
import { ReportService } from '../../regulatory/pipeline/reportService.ts';
import type { Jurisdiction, ReportEngine, ReportRequest } from '../../regulatory/reportTypes.ts';
import { guardedTransport } from '../../regulatory/transports/guardedTransport.ts';
import type { ReportTransport } from '../../regulatory/transports/reportTransport.ts';
import { isRetryableTransportFailure } from '../../regulatory/transports/transportErrors.ts';
import { transportFromConfig } from '../../regulatory/transports/transportFromConfig.ts';
import { namespaceKeys } from '../../redis/namespaceKeys.ts';
import type { ChildSpec } from '../../supervision/childSpec.ts';
import type { SupervisionTree } from '../../supervision/supervisionTree.ts';
import { supervisor } from '../../supervision/supervisorLogic.ts';
import type { Capability } from './capability.ts';
import type { ReportIntake } from './regulatory.ts';
import { formatIssues } from '../../shared/zodIssues.ts';

export const REPORTS_SUPERVISOR_ID = 'reports';

/** The supervised circuit breaker in front of one jurisdiction's transport. */
export const reportBreakerId = (jurisdiction: Jurisdiction) => `report-breaker:${jurisdiction}`;

/** What the reports capability reads of the configuration (all of Config once `reports` is in its schema); its keys are under `namespace`. */
export type ReportsHostConfig = Pick<Config, 'namespace' | 'redis' | 'supervision'> & { reports?: unknown };

/** The `reports` section, validated; null when absent (the feature is off until configured). */
export function reportsConfigOf(config: ReportsHostConfig): ReportsConfig | null {
  if (config.reports === undefined) return null;
  const parsed = reportsConfigSchema.safeParse(config.reports);
  if (parsed.success) return parsed.data;
  const problems = formatIssues(parsed.error.issues, { style: 'dotted', under: 'reports' });
  throw new Error(`invalid reports configuration: ${problems.join('; ')}`);
}

export interface ReportsCapabilityDeps {
  config: ReportsHostConfig;
  tree: SupervisionTree;
  metricsRegistry: Registry;
  redis: Redis;
  /** The report engines by jurisdiction, built at each start (see reportEngines.ts). */
  engines: () => ReadonlyMap<Jurisdiction, ReportEngine>;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

interface Running {
  service: ReportService;
  producer: Queue;
  enqueue: (request: unknown) => Promise<ReportIntakeResult>;
}

/**
 * Report transmission: the `reports` supervisor with one circuit breaker per jurisdiction with a
 * transport (long-lived and shared by every job of their jurisdiction, so they live in the tree),
 * and the `reports` worker, which runs each job as a reporter machine. No subtree until configured.
 */
export class ReportsCapability implements Capability, ReportIntake {
  readonly name = 'reports';
  private running: Running | null = null;

  constructor(private readonly deps: ReportsCapabilityDeps) {}

  /** The report service while it runs; null otherwise. */
  get service(): ReportService | null {
    return this.running?.service ?? null;
  }

  /** Validates a report request and puts it on the `reports` queue; null while reports do not run. */
  enqueuer(): ((request: ReportRequest) => Promise<ReportIntakeResult>) | null {
    return this.running?.enqueue ?? null;
  }

  childSpec(): ChildSpec | null {
    const { config } = this.deps;
    const reports = reportsConfigOf(config);
    if (!reports?.enabled) return null;
    const { intensity, periodMs, backoff } = config.supervision;
    const children: ChildSpec[] = configuredTransports(reports).map(([jurisdiction]) => ({
      id: reportBreakerId(jurisdiction),
      kind: 'circuit-breaker',
      eventSchema: circuitBreakerEventSchema,
      logic: createCircuitBreakerMachine({ name: `reports-${jurisdiction}`, ...reports.breaker, permittedNumberOfCallsInHalfOpenState: 1 }),
      details: (snapshot: CircuitBreakerSnapshot) => ({ state: snapshot.value, failureRate: snapshot.context.failureRate, notPermitted: snapshot.context.notPermitted }),
    }));
    return {
      ...supervisor(REPORTS_SUPERVISOR_ID, { strategy: 'one_for_one', intensity, periodMs, backoff, children }),
      details: () => this.running?.service.status() ?? {},
    };
  }

  /** Starts the `reports` worker once the breakers run. */
  async start(): Promise<void> {
    const { config, tree, redis, logger } = this.deps;
    const reports = reportsConfigOf(config);
    if (!reports?.enabled || !tree.get(REPORTS_SUPERVISOR_ID)) return;
    const transports = new Map<Jurisdiction, ReportTransport>();
    for (const [jurisdiction, transportConfig] of configuredTransports(reports)) {
      const transport = await transportFromConfig(transportConfig, { env: this.deps.env ?? process.env, where: `reports.transports.${jurisdiction}` });
      transports.set(jurisdiction, guardedTransport(transport, () => breakerOf(tree, jurisdiction)));
      logger.info('report transport configured', { jurisdiction, kind: transport.kind, target: transport.target });
    }
    const { bullPrefix: prefix, reportsLedger: ledgerPrefix } = namespaceKeys(config.namespace);
    const service = new ReportService({
      engines: this.deps.engines(),
      transports,
      redis,
      redisUrl: config.redis.url,
      logger,
      metrics: registerReportMetrics(this.deps.metricsRegistry),
      ackTimeoutMs: reports.ackTimeoutMs,
      claimMs: reports.claimMs,
      concurrency: reports.concurrency,
      queueLockMs: reports.queueLockMs,
      prefix,
      ledgerPrefix,
    });
    await service.start();
    const producer = new Queue(REPORTS_QUEUE_NAME, { connection: redis, prefix });
    // Without a listener BullMQ prints connection errors to stderr as raw multi-line stacks.
    producer.on('error', (error) => logger.debug('reports producer redis error', { error: error.message }));
    const policy = { attempts: reports.attempts, backoffMs: reports.backoffMs };
    this.running = { service, producer, enqueue: (request) => enqueueReport(producer, request, policy) };
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    await running.producer.close();
    await running.service.stop();
  }
}

/** Looked up per call: the breaker is supervised, so after a restart it is a new actor. */
function breakerOf(tree: SupervisionTree, jurisdiction: Jurisdiction): CircuitBreaker | undefined {
  const ref = tree.get(reportBreakerId(jurisdiction));
  if (!ref || ref.getSnapshot().status !== 'active') return undefined;
  return new CircuitBreaker(ref as CircuitBreakerRef, { isFailure: isRetryableTransportFailure });
}
