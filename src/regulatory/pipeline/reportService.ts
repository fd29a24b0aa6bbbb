import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Actor, AnyActorLogic } from 'xstate';
import type { Logger } from '../../log/logger.ts';
import { attachDeadLettering, DeadLetterQueue, type DeadLettering } from '../../queues/index.ts';
import { createReporterLogic } from '../../actors/regulatory/reporterActor.ts';
import type { ReporterMachine } from '../../machines/regulatory/reporter/reporterMachine.ts';
import type { Jurisdiction, ReportEngine } from '../reportTypes.ts';
import type { ReportTransport } from '../transports/reportTransport.ts';
import { FilingLedger } from './filingLedger.ts';
import { processReportJob, type ReportJobResult } from './processReportJob.ts';
import { REPORTS_QUEUE_NAME } from './reportJob.ts';
import { noReportMetrics, type ReportMetrics } from './reportMetrics.ts';

export interface ReportServiceOptions {
  engines: ReadonlyMap<Jurisdiction, ReportEngine>;
  /** Per jurisdiction, already behind its circuit breaker (see guardedTransport). */
  transports: ReadonlyMap<Jurisdiction, ReportTransport>;
  /** For the ledger and the dead-letter queue; the caller owns it. */
  redis: Redis;
  /** The worker opens its own connection from this (BullMQ blocks on it). */
  redisUrl: string;
  logger: Logger;
  metrics?: ReportMetrics;
  /** BullMQ key prefix and the filing ledger's: the namespace's (namespaceKeys().bullPrefix, .reportsLedger). */
  prefix: string;
  ledgerPrefix: string;
  ackTimeoutMs: number;
  /** How long one job may hold the exclusive right to submit a report. */
  claimMs?: number;
  concurrency?: number;
  queueLockMs?: number;
}

/**
 * The `reports` queue's worker: each job runs a reporter machine for the jurisdiction's engine
 * and transport; final failures go to `reports:dead`, where `tradewire dlq replay reports:dead:<id>`
 * re-adds them, and the filing ledger makes that replay file nothing twice.
 */
export class ReportService {
  readonly ledger: FilingLedger;
  readonly dlq: DeadLetterQueue;
  private readonly reporters = new Map<Jurisdiction, ReporterMachine>();
  private readonly running = new Set<Actor<AnyActorLogic>>();
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private deadLettering: DeadLettering | null = null;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: ReportServiceOptions) {
    this.ledger = new FilingLedger(options.redis, options.ledgerPrefix);
    const { logger, prefix } = options;
    this.dlq = new DeadLetterQueue(REPORTS_QUEUE_NAME, { connection: options.redis, logger, prefix });
    for (const [jurisdiction, engine] of options.engines) {
      if (engine.jurisdiction !== jurisdiction) throw new Error(`the engine registered for ${jurisdiction} reports ${engine.jurisdiction}`);
      const transport = options.transports.get(jurisdiction);
      // Without a transport the jurisdiction is unsupported: its jobs are dead-lettered saying so.
      if (!transport) {
        logger.warn('report engine has no transport; its jobs will be dead-lettered', { jurisdiction });
        continue;
      }
      this.reporters.set(
        jurisdiction,
        createReporterLogic({ engine, transport, ledger: this.ledger, metrics: options.metrics ?? noReportMetrics, logger, claimMs: options.claimMs ?? 120_000 }),
      );
    }
  }

  async start(): Promise<void> {
    const { redisUrl, prefix, logger } = this.options;
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error: Error) => logger.debug('reports worker redis error', { error: error.message }));
    this.workerConnection = connection;
    const lockMs = this.options.queueLockMs ?? 30_000;
    this.worker = new Worker(REPORTS_QUEUE_NAME, (job) => this.process(job), {
      connection,
      concurrency: this.options.concurrency ?? 4,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job whose process died is handed out again; the ledger makes that safe, however often.
      maxStalledCount: 1_000,
      prefix,
    });
    this.worker.on('error', (error) => logger.error('reports worker error', { error: error.message }));
    this.worker.on('failed', (job, error) => logger.warn('report job attempt failed', { jobId: job?.id, attemptsMade: job?.attemptsMade, error: error.message }));
    this.deadLettering = attachDeadLettering(this.worker, this.dlq, { logger });
    await this.deadLettering.initialSweep;
  }

  process(job: Pick<Job, 'data'>): Promise<ReportJobResult> {
    return processReportJob(job, { reporters: this.reporters, ackTimeoutMs: this.options.ackTimeoutMs, running: this.running });
  }

  /** For `/actors`: reports in flight and the jurisdictions served. */
  status(): Record<string, unknown> {
    return { inFlight: this.running.size, jurisdictions: [...this.reporters.keys()] };
  }

  /** Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    // Reporters waiting for acknowledgements would hold worker.close() for up to ackTimeoutMs.
    const closing = this.worker?.close();
    for (const actor of this.running) actor.stop();
    await closing;
    await this.deadLettering?.idle();
    this.deadLettering?.detach();
    await this.dlq.close();
    await this.workerConnection?.quit().catch(() => this.workerConnection?.disconnect());
  }
}
