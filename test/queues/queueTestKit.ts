import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DeadLetterQueue, isFinalFailure, type DeadLetterQueueOptions } from '../../src/queues/index.ts';
import type { DeadLetterRecord } from '../../src/queues/index.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';


/** What a test job's processor does, driven by its payload so outcomes are data. */
export type Outcome = 'succeed' | 'failThenSucceed' | 'failForever' | 'unrecoverable';

export interface TestPayload {
  n: number;
  outcome: Outcome;
}

export function testPrefix(): string {
  return `test-dlq-${randomBytes(6).toString('hex')}`;
}

/** Everything one test needs, under its own prefix, torn down by cleanup(). */
export class QueueTestKit {
  readonly prefix = testPrefix();
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  readonly queue: Queue;
  readonly deadLetters: DeadLetterRecord[] = [];
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(readonly queueName = 'orders') {
    this.queue = new Queue(queueName, { connection: this.redis, prefix: this.prefix });
  }

  dlq(options: Partial<DeadLetterQueueOptions> = {}): DeadLetterQueue {
    const dlq = new DeadLetterQueue(this.queueName, {
      connection: this.redis,
      prefix: this.prefix,
      onDeadLetter: (_queue, _reason, record) => this.deadLetters.push(record),
      ...options,
    });
    this.closers.push(() => dlq.close());
    return dlq;
  }

  /** A worker whose processor follows each job's `outcome`; retries have no backoff so tests stay fast. */
  worker(): Worker {
    const worker = new Worker(this.queueName, processOutcome, { connection: this.redis.duplicate({ maxRetriesPerRequest: null }), prefix: this.prefix, concurrency: 4 });
    worker.on('error', () => undefined);
    this.closers.push(async () => {
      await worker.close();
      await worker.disconnect();
    });
    return worker;
  }

  add(n: number, outcome: Outcome, attempts = 3): Promise<Job> {
    return this.queue.add('order', { n, outcome } satisfies TestPayload, { attempts });
  }

  async cleanup(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    await this.queue.close();
    await deleteByPrefix(this.redis, `${this.prefix}:`);
    await this.redis.quit();
  }
}

export async function processOutcome(job: Job<TestPayload>): Promise<string> {
  switch (job.data.outcome) {
    case 'succeed':
      return 'ok';
    case 'failThenSucceed':
      if (job.attemptsMade === 0) throw new Error(`transient failure of ${job.data.n}`);
      return 'ok after retry';
    case 'failForever':
      throw new Error(`permanent failure of ${job.data.n}`);
    case 'unrecoverable':
      throw new UnrecoverableError(`invalid payload: n=${job.data.n} rejected`);
    default:
      throw new UnrecoverableError(`unknown outcome ${String(job.data.outcome)}`);
  }
}


/** Resolves when `count` jobs have reached a final state in the worker (completed, or failed for good). */
export function finalOutcomes<DataType, ResultType>(worker: Worker<DataType, ResultType>, count: number): Promise<void> {
  return new Promise((resolve) => {
    if (count === 0) return resolve();
    let seen = 0;
    const bump = () => {
      seen += 1;
      if (seen === count) {
        worker.off('completed', onCompleted);
        worker.off('failed', onFailed);
        resolve();
      }
    };
    const onCompleted = () => bump();
    const onFailed = (job: Job<DataType, ResultType> | undefined, error: Error) => {
      if (job && isFinalFailure(job, error)) bump();
    };
    worker.on('completed', onCompleted);
    worker.on('failed', onFailed);
  });
}
