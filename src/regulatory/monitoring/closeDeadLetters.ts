import { randomBytes } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import { DayCloseError, type FailedClose } from '../../machines/regulatory/monitor/monitorTypes.ts';
import { DeadLetterQueue, deadLetterQueueName } from '../../queues/index.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/** The monitor's close work as a queue name: its dead letters are `regulatory-close:dead:<id>`. */
export const CLOSE_QUEUE_NAME = 'regulatory-close';
export const CLOSE_DEAD_LETTER_QUEUE = deadLetterQueueName(CLOSE_QUEUE_NAME);

/** What a close dead letter carries: enough to run the close again with the book as it stood. */
export interface CloseJobData {
  day: string | null;
  positions: FailedClose['positions'];
}

const WRITE_DEADLINE_MS = 5_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

interface Unwritten {
  jobId: string;
  failure: FailedClose & { failedAtMs: number };
  /** Why the last write failed; null while the first is under way. */
  lastError: string | null;
}

export interface CloseDeadLettersOptions {
  redis: Redis;
  logger: Logger;
  /** BullMQ key prefix: the namespace's (namespaceKeys().bullPrefix), where `tradewire dlq` looks. */
  prefix: string;
  /** A dead letter that could not be written (Redis down) is tried again this often. */
  retryMs: number;
  /** Attempts the monitor gives a close: a dead letter with fewer made was refused, not exhausted. */
  closeAttempts: number;
}

/**
 * Writes failed day closes to `regulatory-close:dead`, the same dead-letter queue machinery as
 * `orders` and `reports`, so `tradewire dlq list|show|replay` work on them. The monitor's close
 * is not a BullMQ job, so each failure is described as one (payload, reason, attempts) before
 * the move. A write that fails (the failure was often Redis itself) is kept and tried again, so
 * a failed close is never lost between the monitor and the queue.
 */
export class CloseDeadLetters {
  readonly dlq: DeadLetterQueue;
  private readonly source: Queue;
  private readonly unwritten = new Map<string, Unwritten>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: CloseDeadLettersOptions) {
    const { prefix } = options;
    this.dlq = new DeadLetterQueue(CLOSE_QUEUE_NAME, { connection: options.redis, prefix, logger: options.logger });
    // Only to describe failures as jobs of this queue; nothing is added to it here.
    this.source = new Queue(CLOSE_QUEUE_NAME, { connection: options.redis, prefix, skipMetasUpdate: true });
    this.source.on('error', (error) => options.logger.debug('regulatory-close queue redis error', { error: error.message }));
  }

  record(failure: FailedClose & { failedAtMs: number }): void {
    if (this.stopped) return;
    const jobId = `${failure.day ?? 'today'}.${failure.failedAtMs}.${randomBytes(3).toString('hex')}`;
    this.unwritten.set(jobId, { jobId, failure, lastError: null });
    this.flush();
  }

  /** Dead letters not in Redis yet, for /ready: the reason is kept in memory until they are. */
  pending(): { day: string | null; reason: string; attempts: number; lastError: string | null }[] {
    return [...this.unwritten.values()].map(({ failure, lastError }) => ({ day: failure.day, reason: failure.reason, attempts: failure.attempts, lastError }));
  }

  /** Resolves once every write started so far has settled. */
  idle(): Promise<void> {
    return this.writing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    if (this.unwritten.size > 0) {
      this.options.logger.error('failed day closes could not be dead-lettered before stopping; they are in the log only', {
        closes: this.pending(),
      });
    }
    await Promise.all([this.dlq.close(), this.source.close()]);
  }

  private flush(): void {
    this.writing = this.writing.then(() => this.writeAll());
  }

  private async writeAll(): Promise<void> {
    for (const entry of [...this.unwritten.values()]) {
      try {
        // Bounded: a write caught in a reconnect must not hold the ones after it (a late one is harmless, the id is the same).
        const move = await withDeadline(this.dlq.moveToDead(this.asJob(entry), entry.failure.reason, this.errorOf(entry.failure)), WRITE_DEADLINE_MS);
        this.unwritten.delete(entry.jobId);
        this.options.logger.info('failed day close dead-lettered', { id: move.record.id, day: entry.failure.day, kind: move.record.kind });
      } catch (error) {
        entry.lastError = errorMessage(error);
      }
    }
    if (this.unwritten.size > 0 && !this.stopped && !this.timer) {
      this.options.logger.error('failed day close not dead-lettered yet (Redis); trying again', { closes: this.pending(), retryMs: this.options.retryMs });
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.options.retryMs);
      this.timer.unref();
    }
  }

  private asJob({ jobId, failure }: Unwritten): Job {
    const data: CloseJobData = { day: failure.day, positions: failure.positions };
    const job = new Job(this.source, 'close', data, { attempts: this.options.closeAttempts, timestamp: failure.failedAtMs }, jobId);
    job.attemptsMade = failure.attempts;
    job.failedReason = failure.reason;
    job.finishedOn = failure.failedAtMs;
    return job;
  }

  private errorOf(failure: FailedClose): Error {
    return new DayCloseError(failure.day, failure.reason, failure.refused);
  }
}
