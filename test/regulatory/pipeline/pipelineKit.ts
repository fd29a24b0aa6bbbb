import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createActor } from 'xstate';
import { CircuitBreaker } from '../../../src/actors/circuitBreaker.ts';
import { createSilentLogger, type Logger } from '../../../src/log/logger.ts';
import { createCircuitBreakerMachine } from '../../../src/machines/circuitBreaker/circuitBreakerMachine.ts';
import type { CircuitBreakerConfigInput } from '../../../src/machines/circuitBreaker/config.ts';
import { DeadLetterQueue } from '../../../src/queues/index.ts';
import { enqueueReport } from '../../../src/regulatory/pipeline/reportIntake.ts';
import { REPORTS_QUEUE_NAME } from '../../../src/regulatory/pipeline/reportJob.ts';
import type { ReportRetryPolicy } from '../../../src/regulatory/pipeline/reportJobOptions.ts';
import { registerReportMetrics, type ReportMetrics } from '../../../src/regulatory/pipeline/reportMetrics.ts';
import { ReportService, type ReportServiceOptions } from '../../../src/regulatory/pipeline/reportService.ts';
import type { ReportEngine } from '../../../src/regulatory/reportTypes.ts';
import { guardedTransport } from '../../../src/regulatory/transports/guardedTransport.ts';
import type { ReportTransport } from '../../../src/regulatory/transports/reportTransport.ts';
import { isRetryableTransportFailure } from '../../../src/regulatory/transports/transportErrors.ts';
import { TestReportEngine } from './testEngine.ts';
import { deleteByPrefix } from '../../support/redisKeys.ts';
import { redisUrlForDb } from '../../support/redisUrl.ts';

/** Database 12 is the pipeline tests' own; every kit adds a unique prefix on top. */
export const REDIS_URL = redisUrlForDb(12);
export const FAST_RETRIES: ReportRetryPolicy = { attempts: 3, backoffMs: 5 };

/** A transport that counts what reaches it and fails its first `failures` submissions. */
export class CountingTransport implements ReportTransport {
  submits = 0;
  constructor(
    private readonly inner: ReportTransport,
    public failures = 0,
    private readonly failure: () => Error = () => new Error('simulated outage'),
  ) {}

  get kind() {
    return this.inner.kind;
  }

  get target() {
    return this.inner.target;
  }

  async submit(...args: Parameters<ReportTransport['submit']>) {
    this.submits += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw this.failure();
    }
    return this.inner.submit(...args);
  }

  awaitAck(...args: Parameters<ReportTransport['awaitAck']>) {
    return this.inner.awaitAck(...args);
  }
}

/** A `reports` queue, worker, ledger and dead-letter queue under a prefix of their own. */
export class PipelineKit {
  readonly prefix = `test-reports-${randomBytes(6).toString('hex')}`;
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  readonly queue = new Queue(REPORTS_QUEUE_NAME, { connection: this.redis, prefix: this.prefix });
  readonly registry = new Registry();
  readonly metrics: ReportMetrics = registerReportMetrics(this.registry);
  readonly engine = new TestReportEngine();
  readonly breaker: CircuitBreaker;
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(breakerConfig: CircuitBreakerConfigInput = { name: 'reports-CFTC' }) {
    const ref = createActor(createCircuitBreakerMachine(breakerConfig)).start();
    this.breaker = new CircuitBreaker(ref, { isFailure: isRetryableTransportFailure });
    this.closers.push(async () => ref.stop());
  }

  async startService(transport: ReportTransport, overrides: Partial<ReportServiceOptions> & { engine?: ReportEngine; logger?: Logger } = {}): Promise<ReportService> {
    const engine = overrides.engine ?? this.engine;
    const service = new ReportService({
      engines: new Map([['CFTC', engine]]),
      transports: new Map([['CFTC', guardedTransport(transport, () => this.breaker)]]),
      redis: this.redis,
      redisUrl: REDIS_URL,
      logger: overrides.logger ?? createSilentLogger(),
      metrics: this.metrics,
      prefix: this.prefix,
      ledgerPrefix: `${this.prefix}:ledger`,
      ackTimeoutMs: 10_000,
      claimMs: 10_000,
      ...overrides,
    });
    await service.start();
    this.closers.push(() => service.stop());
    return service;
  }

  /** The dead-letter queue as `tradewire dlq` opens it. */
  dlq(): DeadLetterQueue {
    const dlq = new DeadLetterQueue(REPORTS_QUEUE_NAME, { connection: this.redis, prefix: this.prefix });
    this.closers.push(() => dlq.close());
    return dlq;
  }

  async enqueue(data: unknown, policy: ReportRetryPolicy = FAST_RETRIES): Promise<string> {
    const result = await enqueueReport(this.queue, data, policy);
    if (!result.accepted) throw new Error(`not accepted: ${result.errors.join('; ')}`);
    return result.jobId;
  }

  async jobState(jobId: string): Promise<string> {
    return (await this.queue.getJobState(jobId)) as string;
  }

  async cleanup(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    await this.queue.close();
    await deleteByPrefix(this.redis, `${this.prefix}:`);
    await this.redis.quit();
  }
}

