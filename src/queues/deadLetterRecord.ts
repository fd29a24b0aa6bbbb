import type { Job } from 'bullmq';
import { isUnrecoverable } from './finalFailure.ts';
import { deadLetterId } from './deadLetterNames.ts';
import { MAX_PAYLOAD_DEPTH, nestedDeeperThan } from './payloadDepth.ts';

/**
 * Why the job is dead: retries ran out, the processor said retrying is pointless, or BullMQ
 * could not even decode the job (its stored fields are not JSON), so no processor ever saw it.
 */
export type DeadLetterKind = 'attempts_exhausted' | 'unrecoverable' | 'corrupt';

/**
 * A job's fields exactly as Redis held them. Kept when they cannot be kept as values: not JSON
 * (a corrupt job), or nested too deep to store safely (JSON.stringify would overflow the stack).
 */
export interface RawJobFields {
  data: string | null;
  opts: string | null;
}

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
  /** The job's data; null when it is only kept as raw text (see `raw`). */
  payload: unknown;
  /** Set when the payload could not be kept as a value; such a dead letter cannot be replayed. */
  raw: RawJobFields | null;
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
  /** Fetches the job's data as stored, for a payload too deep to keep as a value. */
  rawData: () => Promise<string | null>;
}

export async function buildDeadLetter({ job, sourceQueue, reason, error, deadLetteredAt, moveToken, rawData }: DeadLetterInput): Promise<StoredDeadLetter> {
  const jobId = String(job.id);
  const stacktrace = Array.isArray(job.stacktrace) ? job.stacktrace.filter((line): line is string => typeof line === 'string') : [];
  const attempts = Math.max(1, job.opts.attempts ?? 1);
  const liveError = error instanceof Error ? error : undefined;
  const message = liveError?.message ?? job.failedReason ?? 'unknown failure';
  const unrecoverable = isUnrecoverable(error) || job.attemptsMade < attempts;
  // BullMQ stores the letter with JSON.stringify, which recurses: a hostile depth would overflow it.
  const tooDeep = nestedDeeperThan(job.data, MAX_PAYLOAD_DEPTH);
  return {
    id: deadLetterId(sourceQueue, jobId),
    queue: sourceQueue,
    jobId,
    name: job.name,
    payload: tooDeep ? null : (job.data ?? null),
    raw: tooDeep ? { data: await rawData(), opts: null } : null,
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
    backoff: nestedDeeperThan(job.opts.backoff, MAX_PAYLOAD_DEPTH) ? null : (job.opts.backoff ?? null),
    queuedAt: job.timestamp,
    failedAt: job.finishedOn ?? deadLetteredAt,
    deadLetteredAt,
    replay: null,
    moveToken,
  };
}

export interface CorruptDeadLetterInput {
  sourceQueue: string;
  jobId: string;
  /** The job's hash as Redis holds it (HGETALL). */
  fields: Record<string, string>;
  /** What is wrong with it (see describeCorruption). */
  problem: string;
  deadLetteredAt: number;
  moveToken: string;
}

/** The dead letter of a job BullMQ cannot decode: everything it had, kept as raw text. */
export function buildCorruptDeadLetter({ sourceQueue, jobId, fields, problem, deadLetteredAt, moveToken }: CorruptDeadLetterInput): StoredDeadLetter {
  const reason = `corrupt job: ${problem}`;
  const queuedAt = integer(fields.timestamp) ?? deadLetteredAt;
  return {
    id: deadLetterId(sourceQueue, jobId),
    queue: sourceQueue,
    jobId,
    name: fields.name ?? '',
    payload: null,
    raw: { data: fields.data ?? null, opts: fields.opts ?? null },
    reason,
    kind: 'corrupt',
    error: { name: 'CorruptJobError', message: reason, stack: null },
    stacktrace: stackLines(fields.stacktrace),
    attemptsMade: integer(fields.atm ?? fields.attemptsMade) ?? 0,
    attempts: 1,
    backoff: null,
    queuedAt,
    failedAt: integer(fields.finishedOn) ?? deadLetteredAt,
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
    raw: null,
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

function integer(text: string | undefined): number | undefined {
  const value = text === undefined ? Number.NaN : Number.parseInt(text, 10);
  return Number.isFinite(value) ? value : undefined;
}

/** BullMQ keeps stacks as a JSON array of strings; on a corrupt job even that may be garbage. */
function stackLines(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((line): line is string => typeof line === 'string') : [text];
  } catch {
    return [text];
  }
}
