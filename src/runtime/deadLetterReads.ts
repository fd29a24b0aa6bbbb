import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BoardQueue } from '../admin/runtimeView.ts';
import type { DeadLetterRow, QueueOverview } from '../admin/schemas/deadLetterViews.ts';
import type { Logger } from '../log/logger.ts';
import { deadLetterPrefix, DeadLetterQueue, type DeadLetterRecord } from '../queues/index.ts';
import { DEAD_SUFFIX } from '../queues/deadLetterNames.ts';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

const iso = (ms: number) => new Date(ms).toISOString();

function rowOf(record: DeadLetterRecord): DeadLetterRow {
  return {
    id: record.id,
    jobId: record.jobId,
    kind: record.kind,
    reason: record.reason,
    deadLetteredAt: iso(record.deadLetteredAt),
    attempts: record.attemptsMade,
    replayedAt: record.replay ? iso(record.replay.at) : null,
    replayable: record.raw === null,
    data: record.payload,
  };
}

export interface QueueDepth {
  queue: string;
  state: 'waiting' | 'active' | 'delayed' | 'failed' | 'dead';
  count: number;
}

export interface DeadLetterReadsOptions {
  /** The node's connection (the caller owns it). */
  redis: Redis;
  /** namespaceKeys(namespace).bullPrefix */
  prefix: string;
  /** The queues that dead-letter their final failures, in the order shown. */
  deadLetterQueues: readonly string[];
  /** Queues shown on Bull Board that keep no dead letters (`fills`). */
  otherQueues: readonly string[];
  logger: Logger;
}

/**
 * Reads of the namespace's queues for the console (`GET /dlq`, `GET /dlq/:queue`) and Bull Board:
 * one BullMQ Queue per queue and dead-letter queue, on the node's connection, opened once and
 * never writing (no meta updates: reading creates no keys). Any node answers: it is all in Redis.
 */
export class DeadLetterReads {
  private readonly sources = new Map<string, Queue>();
  private readonly dead = new Map<string, Queue>();
  private readonly letters = new Map<string, DeadLetterQueue>();

  constructor(private readonly options: DeadLetterReadsOptions) {
    const { redis, prefix, logger } = options;
    const opened = (queue: Queue) => {
      queue.on('error', (error) => logger.debug('queue read redis error', { queue: queue.name, error: error.message }));
      return queue;
    };
    for (const name of [...options.deadLetterQueues, ...options.otherQueues]) this.sources.set(name, opened(new Queue(name, { connection: redis, prefix, skipMetasUpdate: true })));
    for (const name of options.deadLetterQueues) {
      this.dead.set(name, opened(new Queue(DEAD_SUFFIX, { connection: redis, prefix: deadLetterPrefix(prefix, name), skipMetasUpdate: true })));
      this.letters.set(name, new DeadLetterQueue(name, { connection: redis, prefix, logger }));
    }
  }

  async overview(): Promise<QueueOverview[]> {
    return Promise.all(
      this.options.deadLetterQueues.map(async (name) => {
        const [counts, dead] = await Promise.all([this.sources.get(name)!.getJobCounts(...JOB_STATES), this.letters.get(name)!.count()]);
        const count = (state: (typeof JOB_STATES)[number]) => counts[state] ?? 0;
        return {
          name,
          counts: { waiting: count('waiting'), active: count('active'), delayed: count('delayed'), prioritized: count('prioritized'), completed: count('completed'), failed: count('failed') },
          dead,
        };
      }),
    );
  }

  /**
   * Every queue's jobs by state (waiting counts prioritized ones too), and each dead-lettering
   * queue's dead letters as state `dead`: the metrics' queue depths.
   */
  async depths(): Promise<QueueDepth[]> {
    const rows = await Promise.all(
      [...this.sources].map(async ([queue, source]): Promise<QueueDepth[]> => {
        const letters = this.letters.get(queue);
        const [counts, dead] = await Promise.all([source.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'), letters ? letters.count() : null]);
        const count = (state: string) => counts[state] ?? 0;
        const depths: QueueDepth[] = [
          { queue, state: 'waiting', count: count('waiting') + count('prioritized') },
          { queue, state: 'active', count: count('active') },
          { queue, state: 'delayed', count: count('delayed') },
          { queue, state: 'failed', count: count('failed') },
        ];
        if (dead !== null) depths.push({ queue, state: 'dead', count: dead });
        return depths;
      }),
    );
    return rows.flat();
  }

  /** Newest first; an unknown queue has none. */
  async list(queue: string, limit: number): Promise<DeadLetterRow[]> {
    return (await this.records(queue, limit)).map(rowOf);
  }

  /** The newest `limit` dead letters of `queue` as src/queues keeps them. */
  async records(queue: string, limit: number): Promise<DeadLetterRecord[]> {
    return (await this.letters.get(queue)?.list(0, limit)) ?? [];
  }

  /** A queue this reads (for other reads of it, e.g. the reports). */
  source(name: string): Queue | undefined {
    return this.sources.get(name);
  }

  /** Every queue, then every dead-letter queue, for Bull Board. */
  boardQueues(): BoardQueue[] {
    return [...[...this.sources.values()].map((queue) => ({ queue })), ...[...this.dead].map(([source, queue]) => ({ queue, deadLetterOf: source }))];
  }

  async close(): Promise<void> {
    await Promise.all([...this.sources.values(), ...this.dead.values()].map((queue) => queue.close().catch(() => undefined)));
    await Promise.all([...this.letters.values()].map((dlq) => dlq.close().catch(() => undefined)));
  }
}
