import type { Job } from 'bullmq';
import { isUnrecoverable } from './finalFailure';
import { deadLetterId } from './deadLetterNames';

/** Why the job is dead: retries ran out, or the processor said retrying is pointless. */
export type DeadLetterKind = 'attempts_exhausted' | 'unrecoverable';

export interface DeadLetterError {
  name: string;
  message: string;
  /** The stack of the final attempt. */
  stack: string | null;
}

export interface DeadLetterReplay {
  /** The job id the payload was re-added under in the source queue. */
  jobId: string;
  at: number;
}

/** Everything kept about a dead job. Times are epoch milliseconds. */
export interface DeadLetterRecord {
  /** `orders:dead:42`: names the queue, so it alone finds the record. */
  id: string;
  queue: string;
  jobId: string;
  name: string;
  payload: unknown;
  reason: string;
  kind: DeadLetterKind;
  error: DeadLetterError;
  /** One stack per failed attempt, oldest first, as BullMQ kept them. */
  stacktrace: string[];
  attemptsMade: number;
  /** The configured attempts; replays get the same. */
  attempts: number;
  backoff: unknown;
  queuedAt: number;
  failedAt: number;
  deadLetteredAt: number;
  replay: DeadLetterReplay | null;
}

/** What is stored as the dead job's data: the record plus the token that tells which mover created it. */
export interface StoredDeadLetter extends DeadLetterRecord {
  moveToken: string;
}

export interface DeadLetterInput {
  job: Job;
  sourceQueue: string;
  reason: string | undefined;
  /** The live error from the worker's `failed` event; the sweep only has what BullMQ stored. */
  error: unknown;
  deadLetteredAt: number;
  moveToken: string;
}

export function buildDeadLetter({ job, sourceQueue, reason, error, deadLetteredAt, moveToken }: DeadLetterInput): StoredDeadLetter {
  const jobId = String(job.id);
  const stacktrace = Array.isArray(job.stacktrace) ? job.stacktrace.filter((line): line is string => typeof line === 'string') : [];
  const attempts = Math.max(1, job.opts.attempts ?? 1);
  const liveError = error instanceof Error ? error : undefined;
  const message = liveError?.message ?? job.failedReason ?? 'unknown failure';
  const unrecoverable = isUnrecoverable(error) || job.attemptsMade < attempts;
  return {
    id: deadLetterId(sourceQueue, jobId),
    queue: sourceQueue,
    jobId,
    name: job.name,
    payload: job.data ?? null,
    reason: nonEmpty(reason) ?? nonEmpty(message) ?? 'unknown failure',
    kind: unrecoverable ? 'unrecoverable' : 'attempts_exhausted',
    error: {
      name: liveError?.name ?? 'Error',
      message,
      stack: liveError?.stack ?? stacktrace.at(-1) ?? null,
    },
    stacktrace,
    attemptsMade: job.attemptsMade,
    attempts,
    backoff: job.opts.backoff ?? null,
    queuedAt: job.timestamp,
    failedAt: job.finishedOn ?? deadLetteredAt,
    deadLetteredAt,
    replay: null,
    moveToken,
  };
}

/** The public record, without bookkeeping, from whatever is stored (tolerating older or hand-made entries). */
export function toDeadLetterRecord(stored: Partial<StoredDeadLetter> | null | undefined, fallback: { id: string; queue: string; jobId: string; timestamp: number }): DeadLetterRecord {
  const data = stored ?? {};
  const { moveToken: _token, ...rest } = data;
  return {
    id: fallback.id,
    queue: fallback.queue,
    jobId: fallback.jobId,
    name: '',
    payload: null,
    reason: '',
    kind: 'attempts_exhausted',
    error: { name: 'Error', message: '', stack: null },
    stacktrace: [],
    attemptsMade: 0,
    attempts: 1,
    backoff: null,
    queuedAt: fallback.timestamp,
    failedAt: fallback.timestamp,
    deadLetteredAt: fallback.timestamp,
    replay: null,
    ...rest,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
