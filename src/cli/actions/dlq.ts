import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  DeadLetterIdError,
  DeadLetterNotFoundError,
  DeadLetterQueue,
  deadLetterQueueName,
  InvalidDurationError,
  isValidQueueName,
  parseDeadLetterId,
  parseDuration,
  type DeadLetterRecord,
} from '../../queues/index.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';
import { cliKeys } from '../cliKeys.ts';
import { runAdminMutation } from '../operatorAction.ts';
import type { AdminTargetOptions } from '../options.ts';
import { connectRedis, resolveRedisUrl } from '../redisConnection.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/** What the reading commands (list, show) take: they read the runtime's dead letters in Redis. */
export interface DlqConnectionOptions {
  redisUrl?: string;
  namespace?: string;
}

export interface DlqListOptions extends DlqConnectionOptions {
  json?: boolean;
  offset?: string;
  limit?: string;
}

export interface DlqShowOptions extends DlqConnectionOptions {
  queue?: string;
}

/** Replay and purge are changes: they go through the admin API with the operator token. */
export interface DlqReplayOptions extends AdminTargetOptions {
  queue?: string;
  all?: boolean;
}

export interface DlqPurgeOptions extends AdminTargetOptions {
  queue?: string;
  olderThan?: string;
}

const replayResultSchema = z.object({ id: z.string(), status: z.enum(['replayed', 'already_replayed']), jobId: z.string() });
const replayAllSchema = z.object({
  replayed: z.number(),
  alreadyReplayed: z.number(),
  inProgress: z.number(),
  notReplayable: z.number(),
  results: z.array(z.object({ id: z.string(), status: z.enum(['replayed', 'already_replayed', 'in_progress', 'not_replayable']), jobId: z.string().optional() })),
});
const purgedSchema = z.object({ purged: z.array(z.string()), count: z.number(), queue: z.string() });

const REASON_WIDTH = 80;

/** The command line is wrong; nothing was touched. */
class DlqUsageError extends Error {
  override readonly name = 'DlqUsageError';
}

export async function runDlqList(queue: string, options: DlqListOptions, deps: CliDeps): Promise<number> {
  return withDlq(options, deps, () => checkedQueue(queue), async (dlq) => {
    const offset = parseCount(options.offset ?? '0', '--offset');
    const limit = parseCount(options.limit ?? '50', '--limit');
    const records = await dlq.list(offset, limit);
    if (options.json) deps.out(JSON.stringify(records, null, 2));
    else deps.out(records.length === 0 && offset === 0 ? `no dead letters in ${dlq.name}` : formatDeadLetterTable(records));
    return EXIT_OK;
  });
}

export async function runDlqShow(id: string, options: DlqShowOptions, deps: CliDeps): Promise<number> {
  return withDlq(options, deps, () => resolveQueue(id, options.queue), async (dlq) => {
    const record = await dlq.get(id);
    if (!record) throw new DeadLetterNotFoundError(id);
    deps.out(JSON.stringify(record, null, 2));
    return EXIT_OK;
  });
}

export async function runDlqReplay(id: string | undefined, options: DlqReplayOptions, deps: CliDeps): Promise<number> {
  let queue: string;
  try {
    if (options.all && id !== undefined) throw new DlqUsageError('give either a dead-letter id or --all, not both');
    if (options.all) {
      if (options.queue === undefined) throw new DlqUsageError('--all needs --queue <queue>');
      queue = checkedQueue(options.queue);
    } else {
      if (id === undefined) throw new DlqUsageError('give a dead-letter id (<queue>:dead:<jobId>) or --all --queue <queue>');
      queue = resolveQueue(id, options.queue);
    }
  } catch (error) {
    return reportDlqFailure(error, deps);
  }
  const path = `/dlq/${encodeURIComponent(queue)}/replay`;
  if (options.all) {
    return runAdminMutation(options, deps, {
      path,
      body: { all: true },
      answer: replayAllSchema,
      describe: (summary) => {
        const lines = summary.results.filter((result) => result.status === 'replayed').map((result) => `replayed ${result.id} as job ${result.jobId}`);
        for (const result of summary.results) if (result.status === 'not_replayable') lines.push(`not replayable: ${result.id} (its payload was not kept as JSON; see \`tradewire dlq show\`)`);
        lines.push(`${summary.replayed} replayed, ${summary.alreadyReplayed} already replayed, ${summary.inProgress} in progress elsewhere, ${summary.notReplayable} not replayable`);
        return lines.join('\n');
      },
    });
  }
  return runAdminMutation(options, deps, {
    path,
    body: { id },
    answer: replayResultSchema,
    describe: (result) => (result.status === 'replayed' ? `replayed ${result.id} as job ${result.jobId}` : `${result.id} was already replayed as job ${result.jobId}; nothing submitted`),
  });
}

export async function runDlqPurge(options: DlqPurgeOptions, deps: CliDeps): Promise<number> {
  let queue: string;
  try {
    parseDuration(options.olderThan ?? '', '--older-than');
    if (options.queue === undefined) throw new DlqUsageError('purge needs --queue <queue>');
    queue = checkedQueue(options.queue);
  } catch (error) {
    return reportDlqFailure(error, deps);
  }
  return runAdminMutation(options, deps, {
    path: `/dlq/${encodeURIComponent(queue)}/purge`,
    body: { olderThan: options.olderThan },
    answer: purgedSchema,
    describe: ({ count }) => `purged ${count} dead letter${count === 1 ? '' : 's'} older than ${options.olderThan} from ${deadLetterQueueName(queue)}`,
  });
}

/** id, failedAt, attempts, reason: one line each, the reason cut to fit. */
export function formatDeadLetterTable(records: readonly DeadLetterRecord[]): string {
  const rows = records.map((record) => [
    record.id,
    Number.isFinite(record.failedAt) ? new Date(record.failedAt).toISOString() : '-',
    `${record.attemptsMade}/${record.attempts}`,
    oneLine(record.reason) + (record.replay ? ` [replayed as ${record.replay.jobId}]` : ''),
  ]);
  const header = ['ID', 'FAILED AT', 'ATTEMPTS', 'REASON'];
  const widths = header.slice(0, 3).map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Opens Redis and the queue's DLQ under the runtime's namespace, runs the action, always closes; maps every failure to a message and an exit code. */
async function withDlq(options: DlqConnectionOptions, deps: CliDeps, queueOf: () => string, action: (dlq: DeadLetterQueue) => Promise<number>): Promise<number> {
  let redis: Redis | undefined;
  let dlq: DeadLetterQueue | undefined;
  try {
    const queue = queueOf();
    const keys = cliKeys(options.namespace, deps.env, (message) => new DlqUsageError(message));
    const url = resolveRedisUrl(options.redisUrl, deps.env, (message) => new DlqUsageError(message));
    redis = await connectRedis(url);
    dlq = new DeadLetterQueue(queue, { connection: redis, prefix: keys.bullPrefix });
    return await action(dlq);
  } catch (error) {
    return reportDlqFailure(error, deps);
  } finally {
    await dlq?.close().catch(() => undefined);
    redis?.disconnect();
  }
}

function reportDlqFailure(error: unknown, deps: CliDeps): number {
  const message = errorMessage(error);
  if (error instanceof DlqUsageError || error instanceof InvalidDurationError || error instanceof DeadLetterIdError) {
    deps.err(`error: ${message}`);
    return EXIT_USAGE;
  }
  if (error instanceof DeadLetterNotFoundError) {
    deps.err(`error: ${message}; see \`tradewire dlq list <queue>\``);
    return EXIT_FAILED;
  }
  deps.err(`error: ${message}`);
  return EXIT_FAILED;
}

function resolveQueue(id: string, queueFlag: string | undefined): string {
  const parsed = parseDeadLetterId(id);
  if (parsed) {
    if (queueFlag !== undefined && queueFlag !== parsed.queue) throw new DlqUsageError(`${JSON.stringify(id)} is in ${deadLetterQueueName(parsed.queue)}, but --queue says ${queueFlag}`);
    return checkedQueue(parsed.queue);
  }
  if (queueFlag === undefined) throw new DlqUsageError(`${JSON.stringify(id)} is not a dead-letter id; use <queue>:dead:<jobId> (as \`tradewire dlq list\` prints), or pass --queue`);
  return checkedQueue(queueFlag);
}

function checkedQueue(queue: string): string {
  if (!isValidQueueName(queue)) throw new DlqUsageError(`invalid queue name ${JSON.stringify(queue)}: give the source queue, e.g. orders (not orders:dead)`);
  return queue;
}

function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new DlqUsageError(`${flag} must be a whole number; got ${JSON.stringify(value)}`);
  return Number(value);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > REASON_WIDTH ? `${flat.slice(0, REASON_WIDTH - 1)}…` : flat;
}

