import { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.ts';
import { CircuitBreaker, type CircuitBreakerRef } from '../actors/circuitBreaker.ts';
import { circuitBreakerEventSchema, createCircuitBreakerMachine, type CircuitBreakerSnapshot } from '../machines/circuitBreaker/circuitBreakerMachine.ts';
import { enqueueReport, type ReportIntakeResult } from '../regulatory/pipeline/reportIntake.ts';
import { REPORTS_QUEUE_NAME } from '../regulatory/pipeline/reportJob.ts';
import { registerReportMetrics } from '../regulatory/pipeline/reportMetrics.ts';
import { configuredTransports, reportsConfigSchema, type ReportsConfig } from '../regulatory/pipeline/reportsConfig.ts';
import { ReportService } from '../regulatory/pipeline/reportService.ts';
import type { Jurisdiction, ReportEngine } from '../regulatory/reportTypes.ts';
import { guardedTransport } from '../regulatory/transports/guardedTransport.ts';
import type { ReportTransport } from '../regulatory/transports/reportTransport.ts';
import { isRetryableTransportFailure } from '../regulatory/transports/transportErrors.ts';
import { transportFromConfig } from '../regulatory/transports/transportFromConfig.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import type { RuntimeResources } from './runtimeResources.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { formatIssues } from '../shared/zodIssues.ts';

export const REPORTS_SUPERVISOR_ID = 'reports';

/** The supervised circuit breaker in front of one jurisdiction's transport. */
export const reportBreakerId = (jurisdiction: Jurisdiction) => `report-breaker:${jurisdiction}`;

/** What the reports runtime reads of the configuration (all of Config once `reports` is in its schema); its keys are under `namespace`. */
export type ReportsHostConfig = Pick<Config, 'namespace' | 'redis' | 'supervision'> & { reports?: unknown };
type ReportsResources = Pick<RuntimeResources, 'redis' | 'logger'>;

// The service's status for the `reports` supervisor's /actors details, per runtime.
const statusBoards = new WeakMap<object, () => Record<string, unknown>>();

/** The `reports` section, validated; null when absent (the feature is off until configured). */
export function reportsConfigOf(config: ReportsHostConfig): ReportsConfig | null {
  if (config.reports === undefined) return null;
  const parsed = reportsConfigSchema.safeParse(config.reports);
  if (parsed.success) return parsed.data;
  const problems = formatIssues(parsed.error.issues, { style: 'dotted', under: 'reports' });
  throw new Error(`invalid reports configuration: ${problems.join('; ')}`);
}

/**
 * The `reports` supervisor: one circuit breaker per jurisdiction with a transport. The breakers
 * are long-lived and shared by every job of their jurisdiction, so they live in the tree; report
 * jobs themselves are run by the `reports` worker (see startReports), one reporter machine each.
 */
export function reportsSubtree(config: ReportsHostConfig, resources: ReportsResources): ChildSpec | null {
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
    details: () => statusBoards.get(resources)?.() ?? {},
  };
}

export interface ReportsRuntime {
  service: ReportService;
  /** Validates a report request and puts it on the `reports` queue (for an admin route or the CLI). */
  enqueue(request: unknown): Promise<ReportIntakeResult>;
  stop(): Promise<void>;
}

export interface StartReportsOptions {
  env?: NodeJS.ProcessEnv;
}

/** Starts the `reports` worker once the tree (and so the breakers) is up. */
export async function startReports(
  config: ReportsHostConfig,
  runtime: { tree: SupervisionTree; metricsRegistry: Registry },
  resources: ReportsResources,
  engines: ReadonlyMap<Jurisdiction, ReportEngine>,
  options: StartReportsOptions = {},
): Promise<ReportsRuntime | null> {
  const reports = reportsConfigOf(config);
  if (!reports?.enabled || !runtime.tree.get(REPORTS_SUPERVISOR_ID)) return null;
  const transports = new Map<Jurisdiction, ReportTransport>();
  for (const [jurisdiction, transportConfig] of configuredTransports(reports)) {
    const transport = await transportFromConfig(transportConfig, { env: options.env ?? process.env, where: `reports.transports.${jurisdiction}` });
    transports.set(jurisdiction, guardedTransport(transport, () => breakerOf(runtime.tree, jurisdiction)));
    resources.logger.info('report transport configured', { jurisdiction, kind: transport.kind, target: transport.target });
  }
  const { bullPrefix: prefix, reportsLedger: ledgerPrefix } = namespaceKeys(config.namespace);
  const service = new ReportService({
    engines,
    transports,
    redis: resources.redis,
    redisUrl: config.redis.url,
    logger: resources.logger,
    metrics: registerReportMetrics(runtime.metricsRegistry),
    ackTimeoutMs: reports.ackTimeoutMs,
    claimMs: reports.claimMs,
    concurrency: reports.concurrency,
    queueLockMs: reports.queueLockMs,
    prefix,
    ledgerPrefix,
  });
  await service.start();
  statusBoards.set(resources, () => service.status());
  const producer = new Queue(REPORTS_QUEUE_NAME, { connection: resources.redis, prefix });
  // Without a listener BullMQ prints connection errors to stderr as raw multi-line stacks.
  producer.on('error', (error) => resources.logger.debug('reports producer redis error', { error: error.message }));
  const policy = { attempts: reports.attempts, backoffMs: reports.backoffMs };
  return {
    service,
    enqueue: (request) => enqueueReport(producer, request, policy),
    async stop() {
      statusBoards.delete(resources);
      await producer.close();
      await service.stop();
    },
  };
}

/** Looked up per call: the breaker is supervised, so after a restart it is a new actor. */
function breakerOf(tree: SupervisionTree, jurisdiction: Jurisdiction): CircuitBreaker | undefined {
  const ref = tree.get(reportBreakerId(jurisdiction));
  if (!ref || ref.getSnapshot().status !== 'active') return undefined;
  return new CircuitBreaker(ref as CircuitBreakerRef, { isFailure: isRetryableTransportFailure });
}
