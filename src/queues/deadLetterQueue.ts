import { randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createSilentLogger, type Logger } from '../log/logger.ts';
import { luaScript } from '../redis/luaScript.ts';
import { describeCorruption, isDecodeFailure } from './corruptJob.ts';
import { DeadLetterIdError, DeadLetterNotFoundError, DeadLetterNotReplayableError } from './deadLetterErrors.ts';
import { DEAD_SUFFIX, deadJobId, deadLetterId, deadLetterPrefix, deadLetterQueueName, isValidQueueName, parseDeadLetterId, replayJobId } from './deadLetterNames.ts';
import { buildCorruptDeadLetter, buildDeadLetter, toDeadLetterRecord, type DeadLetterRecord, type StoredDeadLetter } from './deadLetterRecord.ts';
import { MAX_PAYLOAD_DEPTH } from './payloadDepth.ts';
import { errorMessage } from '../shared/errorMessage.ts';
import type { Now } from '../shared/clock.ts';

export type OnDeadLetter = (queue: string, reason: string, record: DeadLetterRecord) => void;

export interface DeadLetterQueueOptions {
  /** Shared ioredis connection; the caller owns it (close() leaves it open). */
  connection: Redis;
  /** BullMQ key prefix of the source queue: the runtime's is namespaceKeys(namespace).bullPrefix. */
  prefix: string;
  logger?: Logger;
  /** Called once per job that newly lands in the dead-letter queue (never for a repeated move). */
  onDeadLetter?: OnDeadLetter;
  /** Clock for dead-lettered-at and purge ages. */
  now?: Now;
  /** How long a replay holds its per-dead-letter lock if the process dies mid-replay. */
  replayLockMs?: number;
}

export interface DeadLetterMove {
  record: DeadLetterRecord;
  /** False when an earlier move (listener, sweep, another process) already stored it. */
  created: boolean;
  /** Whether the original was taken out of the source queue's failed set by this call. */
  removedFromFailed: boolean;
}

export interface SweepResult {
  scanned: number;
  moved: number;
  errors: number;
}

/** `not_replayable` only appears in replayAll's results (replay() throws DeadLetterNotReplayableError). */
export type ReplayStatus = 'replayed' | 'already_replayed' | 'in_progress' | 'not_replayable';

export interface ReplayResult {
  id: string;
  status: ReplayStatus;
  /** The job id in the source queue (absent while another replay of it is in progress). */
  jobId?: string;
}

export interface ReplayAllResult {
  replayed: number;
  alreadyReplayed: number;
  inProgress: number;
  /** Dead letters whose payload is kept only as raw text (corrupt or too deeply nested). */
  notReplayable: number;
  results: ReplayResult[];
}

const PAGE = 200;

const RELEASE_LOCK = luaScript('releaseLock-lock.lua');
const RELEASE_LOCK_IF_UNCHANGED = luaScript('releaseLockIfUnchanged-job-lock.lua');

/** A job id read from one of BullMQ's sets: the job decoded, undecodable (corrupt), or gone meanwhile. */
type Loaded = { job: Job } | { corrupt: Error } | null;

/**
 * The dead-letter queue `<queue>:dead` of one source queue. Final failures are moved here with
 * everything needed to understand and replay them; nothing is ever dropped on the way:
 * the record is written (idempotently) before the original leaves BullMQ's failed set, and
 * sweep() moves whatever a crash left behind in that set.
 */
export class DeadLetterQueue {
  readonly name: string;
  readonly prefix: string;
  private readonly dead: Queue;
  private readonly source: Queue;
  private readonly redis: Redis;
  private readonly logger: Logger;
  private readonly onDeadLetter: OnDeadLetter | undefined;
  private readonly now: Now;
  private readonly replayLockMs: number;

  constructor(readonly sourceQueue: string, options: DeadLetterQueueOptions) {
    if (!isValidQueueName(sourceQueue)) throw new DeadLetterIdError(`invalid queue name ${JSON.stringify(sourceQueue)}: it must be non-empty and contain no ':'`);
    this.name = deadLetterQueueName(sourceQueue);
    this.prefix = options.prefix;
    this.redis = options.connection;
    this.logger = options.logger ?? createSilentLogger();
    this.onDeadLetter = options.onDeadLetter;
    this.now = options.now ?? Date.now;
    this.replayLockMs = options.replayLockMs ?? 30_000;
    // Neither queue is ours to describe: skip BullMQ's meta writes so reading never creates keys.
    this.dead = new Queue(DEAD_SUFFIX, { connection: this.redis, prefix: deadLetterPrefix(this.prefix, sourceQueue), skipMetasUpdate: true });
    this.source = new Queue(sourceQueue, { connection: this.redis, prefix: this.prefix, skipMetasUpdate: true });
    for (const queue of [this.dead, this.source]) queue.on('error', (error) => this.logger.warn('dead-letter queue redis error', { queue: this.name, error: error.message }));
  }

  /**
   * Stores the job in `<queue>:dead` (a no-op if it is already there), then removes the original
   * from the failed set. Safe to call twice, and concurrently.
   */
  async moveToDead(job: Job, reason?: string, error?: unknown): Promise<DeadLetterMove> {
    if (job.id === undefined) throw new DeadLetterIdError('cannot dead-letter a job without an id');
    if (job.queueName !== undefined && job.queueName !== this.sourceQueue) {
      throw new DeadLetterIdError(`job ${job.id} belongs to queue ${job.queueName}, not ${this.sourceQueue}`);
    }
    const jobId = String(job.id);
    const letter = await buildDeadLetter({
      job,
      sourceQueue: this.sourceQueue,
      reason,
      error,
      deadLetteredAt: this.now(),
      moveToken: randomUUID(),
      rawData: () => this.redis.hget(this.source.toKey(jobId), 'data'),
    });
    const { record, created } = await this.store(job.name, letter);
    if (created) {
      this.logger.info('job dead-lettered', { queue: this.sourceQueue, deadLetterQueue: this.name, id: record.id, kind: record.kind, attemptsMade: record.attemptsMade, reason: record.reason });
      if (record.raw) this.logger.warn('dead letter keeps its payload as raw text: nested too deep to store as a value', { queue: this.sourceQueue, id: record.id, maxDepth: MAX_PAYLOAD_DEPTH });
      this.notify(record);
    }
    const removedFromFailed = await this.removeFromFailed(jobId);
    return { record, created, removedFromFailed };
  }

  /**
   * Dead-letters a job BullMQ cannot decode (found by the sweep, wherever it sits: `active`,
   * where a worker that failed to decode it left it locked, or `failed`), with its raw fields
   * and the broken field as the reason, then takes it out of BullMQ. Undefined when the job is
   * gone, or decodes after all (it was repaired meanwhile).
   */
  async moveCorruptToDead(jobId: string): Promise<DeadLetterMove | undefined> {
    const loaded = await this.load(this.source, jobId);
    if (!loaded || !('corrupt' in loaded)) return undefined;
    const fields = await this.redis.hgetall(this.source.toKey(jobId));
    if (Object.keys(fields).length === 0) return undefined;
    const letter = buildCorruptDeadLetter({
      sourceQueue: this.sourceQueue,
      jobId,
      fields,
      problem: describeCorruption(fields, loaded.corrupt),
      deadLetteredAt: this.now(),
      moveToken: randomUUID(),
    });
    const { record, created } = await this.store(letter.name || 'corrupt', letter);
    if (created) {
      this.logger.error('corrupt job dead-lettered: BullMQ cannot decode it, no processor ever saw it', { queue: this.sourceQueue, deadLetterQueue: this.name, id: record.id, reason: record.reason });
      this.notify(record);
    }
    const removedFromFailed = await this.removeCorrupt(jobId, fields);
    return { record, created, removedFromFailed };
  }

  /**
   * Moves every job in the source queue's failed set, and every job in `active` that BullMQ
   * cannot decode. Jobs in the failed set are final failures by definition (BullMQ retries
   * through delayed/wait), so whatever is found was missed: a crash, a Redis blip, or no listener
   * attached. An undecodable job in `active` was taken by a worker that failed to decode it and
   * will never finish it. One job that cannot be moved never stops the others. Safe to run
   * repeatedly and from several processes.
   */
  async sweep(sourceQueue: Queue = this.source): Promise<SweepResult> {
    if (sourceQueue.name !== this.sourceQueue) throw new DeadLetterIdError(`cannot sweep ${sourceQueue.name} into ${this.name}`);
    const result: SweepResult = { scanned: 0, moved: 0, errors: 0 };
    await this.sweepState(sourceQueue, 'failed', result);
    await this.sweepState(sourceQueue, 'active', result);
    if (result.scanned > 0) this.logger.info('dead-letter sweep done', { queue: this.sourceQueue, ...result });
    return result;
  }

  private async sweepState(sourceQueue: Queue, state: 'failed' | 'active', result: SweepResult): Promise<void> {
    const seen = new Set<string>();
    let offset = 0;
    for (;;) {
      // Oldest first: new arrivals append at the end, and removals shift later jobs into view.
      // Ids, not jobs: one undecodable job would make BullMQ's getJobs throw for the whole page.
      const ids = await sourceQueue.getRanges([state], offset, offset + PAGE - 1, true);
      const fresh = ids.filter((id) => !seen.has(id));
      if (fresh.length === 0) break;
      let removed = 0;
      for (const jobId of fresh) {
        seen.add(jobId);
        try {
          const loaded = await this.load(sourceQueue, jobId);
          // A job that decodes is its worker's business while active; gone means someone else moved it.
          if (!loaded || ('job' in loaded && state === 'active')) continue;
          result.scanned += 1;
          const move = 'job' in loaded ? await this.moveToDead(loaded.job) : await this.moveCorruptToDead(jobId);
          if (move?.created) result.moved += 1;
          if (move?.removedFromFailed) removed += 1;
        } catch (error) {
          result.errors += 1;
          this.logger.error(`dead-letter sweep could not move a job; it stays in ${state}`, { queue: this.sourceQueue, jobId, error: errorMessage(error) });
        }
      }
      offset += ids.length - removed;
    }
  }

  /** Newest first. */
  async list(offset = 0, limit = 50): Promise<DeadLetterRecord[]> {
    const start = Math.max(0, Math.floor(offset));
    const count = Math.max(0, Math.floor(limit));
    if (count === 0) return [];
    const jobs = await this.dead.getJobs(['waiting'], start, start + count - 1, false);
    return jobs.filter((job): job is Job => Boolean(job)).map((job) => this.recordOf(job));
  }

  async count(): Promise<number> {
    return this.dead.getJobCountByTypes('waiting');
  }

  /** By public id (`orders:dead:42`) or by the original job id (`42`). */
  async get(id: string): Promise<DeadLetterRecord | undefined> {
    const job = await this.dead.getJob(this.deadJobIdFor(id));
    return job ? this.recordOf(job) : undefined;
  }

  /**
   * Re-adds the original payload to the source queue under a fresh, deterministic job id and
   * records the replay on the dead letter, which stays for audit until purged. A second replay
   * returns the first one's job id and submits nothing.
   */
  async replay(id: string): Promise<ReplayResult> {
    const deadId = this.deadJobIdFor(id);
    const first = await this.dead.getJob(deadId);
    if (!first) throw new DeadLetterNotFoundError(id);
    const already = this.recordOf(first);
    if (already.replay) return { id: already.id, status: 'already_replayed', jobId: already.replay.jobId };
    if (already.raw) throw new DeadLetterNotReplayableError(already.id, notReplayableBecause(already));

    const lockKey = this.dead.toKey(`replay-lock:${deadId}`);
    const lockToken = randomUUID();
    const locked = await this.redis.set(lockKey, lockToken, 'PX', this.replayLockMs, 'NX');
    if (locked !== 'OK') return { id: already.id, status: 'in_progress' };
    try {
      // Re-read under the lock: a replay may have finished between the first read and the lock.
      const job = await this.dead.getJob(deadId);
      if (!job) throw new DeadLetterNotFoundError(id);
      const record = this.recordOf(job);
      if (record.replay) return { id: record.id, status: 'already_replayed', jobId: record.replay.jobId };
      const newJobId = replayJobId(record.jobId);
      // Same id on every attempt: if we crashed after this add last time, BullMQ keeps the first.
      await this.source.add(record.name || 'replay', record.payload, {
        jobId: newJobId,
        attempts: record.attempts,
        ...(record.backoff ? { backoff: record.backoff as never } : {}),
      });
      const replay = { jobId: newJobId, at: this.now() };
      await job.updateData({ ...(job.data as StoredDeadLetter), replay });
      this.logger.info('dead letter replayed', { queue: this.sourceQueue, id: record.id, jobId: newJobId });
      return { id: record.id, status: 'replayed', jobId: newJobId };
    } finally {
      await RELEASE_LOCK.run(this.redis, [lockKey], [lockToken]).catch(() => undefined);
    }
  }

  /** Replays every dead letter not replayed yet. */
  async replayAll(): Promise<ReplayAllResult> {
    const summary: ReplayAllResult = { replayed: 0, alreadyReplayed: 0, inProgress: 0, notReplayable: 0, results: [] };
    // Replays never remove dead letters, so plain paging sees each one; new arrivals only shift the window later.
    const done = new Set<string>();
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.list(offset, PAGE);
      if (page.length === 0) break;
      for (const record of page) {
        if (done.has(record.id)) continue;
        done.add(record.id);
        const result: ReplayResult = record.replay
          ? { id: record.id, status: 'already_replayed', jobId: record.replay.jobId }
          : record.raw
            ? { id: record.id, status: 'not_replayable' }
            : await this.replay(record.id);
        summary.results.push(result);
        if (result.status === 'replayed') summary.replayed += 1;
        else if (result.status === 'already_replayed') summary.alreadyReplayed += 1;
        else if (result.status === 'not_replayable') summary.notReplayable += 1;
        else summary.inProgress += 1;
      }
    }
    return summary;
  }

  /** Deletes dead letters dead-lettered more than `olderThanMs` ago; returns their ids. */
  async purge({ olderThanMs }: { olderThanMs: number }): Promise<string[]> {
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new RangeError(`olderThanMs must be a non-negative number; got ${olderThanMs}`);
    // BullMQ's clean measures age against its own Date.now(); translate our clock's cutoff into its grace.
    const cutoff = this.now() - olderThanMs;
    const grace = Math.max(0, Date.now() - cutoff);
    const removed = await this.dead.clean(grace, 0, 'wait');
    const ids = removed.map((jobId) => this.publicIdOf(jobId));
    if (ids.length > 0) this.logger.info('dead letters purged', { queue: this.sourceQueue, count: ids.length, olderThanMs });
    return ids;
  }

  async close(): Promise<void> {
    await Promise.all([this.dead.close(), this.source.close()]);
  }

  /** Stores the letter (a no-op if one is already stored under its id) and says whether this call wrote it. */
  private async store(name: string, letter: StoredDeadLetter): Promise<{ record: DeadLetterRecord; created: boolean }> {
    const id = deadJobId(this.sourceQueue, letter.jobId);
    // BullMQ keeps the first job added under an id, so concurrent movers converge on one record.
    await this.dead.add(name, letter, { jobId: id, timestamp: letter.deadLetteredAt, removeOnComplete: false, removeOnFail: false });
    const stored = await this.dead.getJob(id);
    if (!stored) throw new Error(`dead letter ${letter.id} vanished right after it was written`);
    const created = (stored.data as Partial<StoredDeadLetter>)?.moveToken === letter.moveToken;
    return { record: this.recordOf(stored), created };
  }

  /** BullMQ's getJob, telling a job it cannot decode apart from a Redis failure (which is thrown). */
  private async load(queue: Queue, jobId: string): Promise<Loaded> {
    try {
      const job = await queue.getJob(jobId);
      return job ? { job } : null;
    } catch (error) {
      if (isDecodeFailure(error)) return { corrupt: error };
      throw error;
    }
  }

  /**
   * Takes a corrupt job out of BullMQ with its own removeJob, after freeing the lock a worker took
   * on it and will never release (only if the job still holds the fields read, see the script).
   */
  private async removeCorrupt(jobId: string, fields: Record<string, string>): Promise<boolean> {
    const jobKey = this.source.toKey(jobId);
    const unchanged = await RELEASE_LOCK_IF_UNCHANGED.run(this.redis, [jobKey, `${jobKey}:lock`], [fields.data ?? '', fields.opts ?? '', fields.progress ?? '', fields.parent ?? '']);
    if (unchanged !== 1) return false;
    return (await this.source.remove(jobId, { removeChildren: false })) === 1;
  }

  private async removeFromFailed(jobId: string): Promise<boolean> {
    const job = await this.source.getJob(jobId);
    // Only a job still sitting in the failed set leaves it: a retried or already removed one is not ours.
    if (!job || !(await job.isFailed())) return false;
    return (await this.source.remove(jobId)) === 1;
  }

  private deadJobIdFor(id: string): string {
    const parsed = parseDeadLetterId(id);
    if (!parsed) return deadJobId(this.sourceQueue, id);
    if (parsed.queue !== this.sourceQueue) throw new DeadLetterIdError(`${JSON.stringify(id)} belongs to ${deadLetterQueueName(parsed.queue)}, not ${this.name}`);
    return deadJobId(this.sourceQueue, parsed.jobId);
  }

  private publicIdOf(deadJob: string): string {
    const encoded = deadJob.startsWith(`${this.sourceQueue}-`) ? deadJob.slice(this.sourceQueue.length + 1) : deadJob;
    try {
      return deadLetterId(this.sourceQueue, decodeURIComponent(encoded));
    } catch {
      return deadLetterId(this.sourceQueue, encoded);
    }
  }

  private recordOf(job: Job): DeadLetterRecord {
    const id = this.publicIdOf(String(job.id));
    const parsed = parseDeadLetterId(id);
    return toDeadLetterRecord(job.data as Partial<StoredDeadLetter>, { id, queue: this.sourceQueue, jobId: parsed?.jobId ?? String(job.id), timestamp: job.timestamp });
  }

  private notify(record: DeadLetterRecord): void {
    if (!this.onDeadLetter) return;
    try {
      this.onDeadLetter(this.sourceQueue, record.reason, record);
    } catch (error) {
      // A broken metrics hook must not undo or repeat a move.
      this.logger.warn('onDeadLetter hook threw', { queue: this.sourceQueue, id: record.id, error: errorMessage(error) });
    }
  }
}

function notReplayableBecause(record: DeadLetterRecord): string {
  return record.kind === 'corrupt' ? 'BullMQ could not decode the job (see its reason)' : `its payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
}
