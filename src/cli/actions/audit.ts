import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { checkedTrailKey } from '../../audit/orderAuditTrail.ts';
import {
  AuditInputError,
  AuditRetention,
  EXPORT_FORMATS,
  exportAudit,
  OrderAuditTrail,
  parseRetentionConfig,
  type ExportFormat,
  type RetentionStatus,
  type VerifyReport,
} from '../../audit/index.ts';
import { parseTimeBound } from '../../audit/parseTimeBound.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';
import { cliKeys } from '../cliKeys.ts';
import { connectRedis, resolveRedisUrl } from '../redisConnection.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface Common {
  redisUrl?: string;
  key?: string;
  namespace?: string;
}
export interface VerifyFlags extends Common {
  from?: string;
  to?: string;
  json?: boolean;
}
export interface ExportFlags extends Common {
  from?: string;
  to?: string;
  format?: string;
  out?: string;
}
export interface RetentionFlags extends Common {
  retentionYears?: string;
  readilyAccessibleYears?: string;
  json?: boolean;
}

/** The command line is wrong; nothing was read or written. */
class AuditUsageError extends Error {
  override readonly name = 'AuditUsageError';
}

/** Long verifies report progress every this many records, on stderr. */
const PROGRESS_EVERY = 100_000;

export async function runAuditVerify(flags: VerifyFlags, deps: CliDeps): Promise<number> {
  return withTrail(flags, deps, () => timeRange(flags, false), async (trail, range) => {
    let nextProgress = PROGRESS_EVERY;
    const report = await trail.verify({
      ...range,
      onProgress: ({ checked, lastSeq }) => {
        if (checked < nextProgress) return;
        nextProgress += PROGRESS_EVERY;
        deps.err(`checked ${checked} records (up to seq ${lastSeq})...`);
      },
    });
    if (flags.json) deps.out(JSON.stringify(report, null, 2));
    else deps.out(formatVerifyReport(trail.keys.stream, report, flags));
    return report.ok ? EXIT_OK : EXIT_FAILED;
  });
}

export async function runAuditExport(flags: ExportFlags, deps: CliDeps): Promise<number> {
  const prepare = () => {
    const { fromMs, toMs } = timeRange(flags, true) as { fromMs: number; toMs: number };
    if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format ?? '')) throw new AuditUsageError(`--format must be ${EXPORT_FORMATS.join(' or ')}; got ${JSON.stringify(flags.format)}`);
    return { fromMs, toMs, format: flags.format as ExportFormat };
  };
  return withTrail(flags, deps, prepare, async (trail, { fromMs, toMs, format }) => {
    if (flags.out === undefined) {
      const count = await exportAudit(trail, { fromMs, toMs, format }, linesTo(deps));
      deps.err(`exported ${count} record${count === 1 ? '' : 's'}`);
      return EXIT_OK;
    }
    const count = await exportToFile(trail, { fromMs, toMs, format }, flags.out);
    deps.out(`wrote ${count} record${count === 1 ? '' : 's'} to ${flags.out}`);
    return EXIT_OK;
  });
}

export async function runAuditRetention(flags: RetentionFlags, deps: CliDeps): Promise<number> {
  const prepare = () =>
    parseRetentionConfig({
      retentionYears: wholeNumber(flags.retentionYears ?? '5', '--retention-years'),
      readilyAccessibleYears: wholeNumber(flags.readilyAccessibleYears ?? '2', '--readily-accessible-years'),
    });
  return withTrail(flags, deps, prepare, async (trail, config, redis) => {
    const status = await new AuditRetention(redis, trail.keys, config).status();
    deps.out(flags.json ? JSON.stringify(status, null, 2) : formatRetentionStatus(trail.keys.stream, status));
    return EXIT_OK;
  });
}

export function formatVerifyReport(key: string, report: VerifyReport, flags: { from?: string; to?: string }): string {
  const lines = [`audit trail ${key}${flags.from || flags.to ? ` from ${flags.from ?? 'the start'} to ${flags.to ?? 'the end'}` : ''}`];
  lines.push(report.checked === 0 ? 'no records in range' : `checked ${report.checked} record${report.checked === 1 ? '' : 's'}, seq ${report.first?.seq}..${report.last?.seq}`);
  if (report.legacy) {
    const { fromSeq, toSeq, count } = report.legacy;
    lines.push(`unchained legacy records ${fromSeq}..${toSeq} (${count}): written before the hash chain; their order is checked, their content cannot be`);
  }
  lines.push(`anchored by: ${report.anchoredBy}`, `ended by: ${report.endedBy}`);
  if (report.head) lines.push(`head: seq ${report.head.seq}${report.head.hash ? ` hash ${report.head.hash}` : ''}`);
  if (report.ok) lines.push('OK: no record changed, removed, added or reordered');
  else {
    // Only discontinuities: nobody changed a record, but Redis lost records the trail had.
    const onlyLoss = report.findingCount === report.findings.length && report.findings.every((found) => found.kind === 'discontinuity');
    const verdict = onlyLoss ? 'DISCONTINUOUS (Redis lost its state; see README "When Redis loses its state")' : 'TAMPERED';
    lines.push(`${verdict}: ${report.findingCount} finding${report.findingCount === 1 ? '' : 's'}`);
    for (const found of report.findings) lines.push(`  - ${found.message}`);
    if (report.findingCount > report.findings.length) lines.push(`  ... and ${report.findingCount - report.findings.length} more`);
  }
  lines.push(`proves: ${report.scope}`);
  return lines.join('\n');
}

export function formatRetentionStatus(key: string, status: RetentionStatus): string {
  const record = (r: RetentionStatus['oldest']) => (r ? `seq ${r.seq} at ${r.ts}` : 'none');
  return [
    `audit trail ${key}: ${status.records} record${status.records === 1 ? '' : 's'}`,
    `policy: keep ${status.retentionYears} years, readily accessible for ${status.readilyAccessibleYears}`,
    `oldest: ${record(status.oldest)}`,
    `newest: ${record(status.newest)}`,
    `older than the readily-accessible window (before ${status.readilyAccessibleFrom}): ${status.olderThanReadilyAccessible}`,
    `past the retention period (before ${status.retainedFrom}): ${status.eligibleForDeletion}`,
    `next eligible for deletion: ${status.nextEligibleForDeletion ? `after ${status.nextEligibleForDeletion}` : '-'}`,
    ...(status.checkpoint ? [`pruned before seq ${status.checkpoint.seq} at ${new Date(status.checkpoint.atMs).toISOString()}, approved by ${status.checkpoint.approvedBy}: ${status.checkpoint.reason}`] : []),
  ].join('\n');
}

/** Writes to a temp file beside `path`, then renames it into place: a reader never sees half an export. */
async function exportToFile(trail: OrderAuditTrail, options: { fromMs: number; toMs: number; format: ExportFormat }, path: string): Promise<number> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const file = createWriteStream(temp, { flags: 'wx' });
  try {
    await once(file, 'open');
    const count = await exportAudit(trail, options, file);
    file.end();
    await once(file, 'finish');
    await rename(temp, path);
    return count;
  } catch (error) {
    file.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}

/** stdout through CliDeps: each chunk is whole lines, and `out` adds the last newline back. */
function linesTo(deps: CliDeps): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      deps.out(chunk.toString('utf8').replace(/\n$/, ''));
      done();
    },
  });
}

function timeRange(flags: { from?: string; to?: string }, required: boolean): { fromMs?: number; toMs?: number } {
  const bound = (text: string | undefined, side: 'from' | 'to') => {
    if (text === undefined) {
      if (required) throw new AuditUsageError(`--${side} is required`);
      return undefined;
    }
    const ms = parseTimeBound(text, side);
    if (ms === undefined) throw new AuditUsageError(`--${side} ${JSON.stringify(text)} is not a time: give ISO-8601 with a zone (2024-03-15T14:30:00Z), a UTC date (2024-03-15) or epoch ms`);
    return ms;
  };
  const fromMs = bound(flags.from, 'from');
  const toMs = bound(flags.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new AuditUsageError(`--from ${flags.from} is after --to ${flags.to}`);
  return { ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) };
}

function wholeNumber(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new AuditUsageError(`${flag} must be a whole number; got ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * Checks the command line (`prepare`) before connecting, so bad input is exit 2 even with Redis
 * down; then opens Redis and the trail, runs the action, always disconnects. Other failures are 1.
 */
async function withTrail<T>(flags: Common, deps: CliDeps, prepare: () => T, action: (trail: OrderAuditTrail, input: T, redis: Redis) => Promise<number>): Promise<number> {
  let redis: Redis | undefined;
  try {
    const input = prepare();
    if (flags.key !== undefined && flags.namespace !== undefined) throw new AuditUsageError('give --key (a full stream key) or --namespace, not both');
    const key = checkedTrailKey(flags.key ?? cliKeys(flags.namespace, deps.env, (message) => new AuditUsageError(message)).auditStreamKey);
    const url = resolveRedisUrl(flags.redisUrl, deps.env, (message) => new AuditUsageError(message));
    redis = await connectRedis(url);
    return await action(new OrderAuditTrail(redis, { key }), input, redis);
  } catch (error) {
    deps.err(`tradewire audit: ${errorMessage(error)}`);
    return error instanceof AuditUsageError || error instanceof AuditInputError ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    redis?.disconnect();
  }
}
