import type { Redis } from 'ioredis';
import { readRejects, type StoredReject } from '../../marketdata/rejectStream.ts';
import { REVIEW_REASONS } from '../../marketdata/rejectLog.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';
import { cliKeys } from '../cliKeys.ts';
import { connectRedis, resolveRedisUrl } from '../redisConnection.ts';
import { textTable } from '../textTable.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface MdRejectsOptions {
  redisUrl?: string;
  key?: string;
  namespace?: string;
  source?: string;
  symbol?: string;
  reason?: string;
  limit?: string;
  json?: boolean;
}

/** The command line is wrong; nothing was read. */
class MdUsageError extends Error {
  override readonly name = 'MdUsageError';
}

export async function runMdRejects(options: MdRejectsOptions, deps: CliDeps): Promise<number> {
  let redis: Redis | undefined;
  try {
    const limit = parseLimit(options.limit ?? '50');
    if (options.reason !== undefined && !(REVIEW_REASONS as readonly string[]).includes(options.reason)) {
      throw new MdUsageError(`unknown reason ${JSON.stringify(options.reason)}; one of ${REVIEW_REASONS.join(', ')}`);
    }
    if (options.key !== undefined && options.namespace !== undefined) throw new MdUsageError('give --key (a full stream key) or --namespace, not both');
    const key = options.key ?? cliKeys(options.namespace, deps.env, (message) => new MdUsageError(message)).marketDataRejectsKey;
    const url = resolveRedisUrl(options.redisUrl, deps.env, (message) => new MdUsageError(message));
    redis = await connectRedis(url);
    const records = await readRejects(redis, { key, limit, source: options.source, symbol: options.symbol, reason: options.reason });
    if (options.json) deps.out(JSON.stringify(records.map(jsonSafe), null, 2));
    else deps.out(records.length === 0 ? 'no rejected ticks recorded' + describeFilter(options) : formatRejectTable(records));
    return EXIT_OK;
  } catch (error) {
    deps.err(`error: ${errorMessage(error)}`);
    return error instanceof MdUsageError ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    redis?.disconnect();
  }
}

/** One line per reject: when, who, why and the raw values as received. */
export function formatRejectTable(records: readonly StoredReject[]): string {
  const header = ['AT', 'SOURCE', 'SYMBOL', 'REASON', 'BID', 'ASK', 'LAST', 'SOURCE TS'];
  const rows = records.map((r) => [isoOrDash(r.atMs), r.source, r.symbol, r.reason, String(r.bid), String(r.ask), String(r.last), isoOrRaw(r.sourceTsMs)]);
  return textTable(header, rows);
}

/** JSON has no NaN or Infinity; keep them readable instead of turning them into null. */
function jsonSafe(record: StoredReject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  return out;
}

function isoOrDash(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '-';
}

/** A garbage timestamp is exactly what one wants to see here, so show it raw. */
function isoOrRaw(ms: number): string {
  const date = new Date(ms);
  return Number.isFinite(ms) && !Number.isNaN(date.getTime()) ? date.toISOString() : String(ms);
}

function describeFilter(options: MdRejectsOptions): string {
  const parts = [options.source && `source ${options.source}`, options.symbol && `symbol ${options.symbol}`, options.reason && `reason ${options.reason}`].filter(Boolean);
  return parts.length > 0 ? ` for ${parts.join(', ')}` : '';
}

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new MdUsageError(`--limit must be a whole number of at least 1; got ${JSON.stringify(value)}`);
  return Number(value);
}
