import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { MarketDataEngine } from './marketDataEngine.ts';

/** Entries per pipeline: bounds the memory and the Redis round trip of one flush. */
const FLUSH_BATCH = 5_000;

export interface RejectStreamOptions {
  /** The stream's full key (namespaceKeys().marketDataRejects). */
  key: string;
  maxLen: number;
  flushIntervalMs: number;
  logger?: Logger;
}

/**
 * Copies the engine's in-memory reject ring to a capped Redis stream, so `tradewire md rejects`
 * (another process) can review raw rejected values. Runs on a timer, a pipeline per flush,
 * never per tick. If garbage arrives faster than the ring is flushed, the overwritten entries are
 * counted in `unpersisted` (the rejections themselves are still counted by the engine).
 */
export class RejectStreamWriter {
  persisted = 0;
  unpersisted = 0;
  failures = 0;
  private cursor: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<number> | undefined;

  constructor(private readonly engine: MarketDataEngine, private readonly redis: Redis, private readonly options: RejectStreamOptions) {
    this.cursor = engine.rejectLog.oldestSeq;
  }

  /** Writes what was logged since the last flush (up to one pipeline); resolves to how many entries. */
  async flush(): Promise<number> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.write().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes everything still in the ring. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    while ((await this.flush()) > 0) {
      // keep draining
    }
  }

  private async write(): Promise<number> {
    const log = this.engine.rejectLog;
    if (this.cursor < log.oldestSeq) {
      this.unpersisted += log.oldestSeq - this.cursor;
      this.cursor = log.oldestSeq;
    }
    const end = Math.min(log.written, this.cursor + FLUSH_BATCH);
    if (end <= this.cursor) return 0;
    const pipeline = this.redis.pipeline();
    for (let seq = this.cursor; seq < end; seq++) {
      const entry = log.at(seq)!;
      pipeline.xadd(
        this.options.key, 'MAXLEN', '~', this.options.maxLen, '*',
        'atMs', String(entry.atMs),
        'source', this.engine.sourceName(entry.source),
        'symbol', this.engine.symbolName(entry.instrument),
        'reason', entry.reason,
        'bid', String(entry.bid),
        'ask', String(entry.ask),
        'last', String(entry.last),
        'sourceTsMs', String(entry.sourceTsMs),
        'receivedMs', String(entry.receivedMs),
      );
    }
    const count = end - this.cursor;
    this.cursor = end;
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.filter(([error]) => error).length;
      this.persisted += count - failed;
      this.unpersisted += failed;
      if (failed > 0) this.failures += 1;
    } catch (error) {
      this.failures += 1;
      this.unpersisted += count;
      this.options.logger?.warn('market data: writing rejected ticks to Redis failed', { error, entries: count });
      return 0;
    }
    return count;
  }
}

export interface StoredReject {
  id: string;
  atMs: number;
  source: string;
  symbol: string;
  reason: string;
  bid: number;
  ask: number;
  last: number;
  sourceTsMs: number;
  receivedMs: number;
}

export interface ReadRejectsOptions {
  /** The stream's full key (namespaceKeys().marketDataRejects). */
  key: string;
  limit?: number;
  source?: string;
  symbol?: string;
  reason?: string;
  /** Stop after looking at this many entries, so a filter that matches nothing cannot scan forever. */
  maxScan?: number;
}

const PAGE = 500;

/** Newest first, filtered by source/symbol/reason. */
export async function readRejects(redis: Redis, options: ReadRejectsOptions): Promise<StoredReject[]> {
  const { key } = options;
  const limit = options.limit ?? 50;
  const maxScan = options.maxScan ?? 100_000;
  const out: StoredReject[] = [];
  let end = '+';
  let scanned = 0;
  while (out.length < limit && scanned < maxScan) {
    const page = await redis.xrevrange(key, end, '-', 'COUNT', PAGE);
    if (page.length === 0) break;
    for (const [id, fields] of page) {
      scanned++;
      const entry = toStoredReject(id, fields);
      if (options.source !== undefined && entry.source !== options.source) continue;
      if (options.symbol !== undefined && entry.symbol !== options.symbol) continue;
      if (options.reason !== undefined && entry.reason !== options.reason) continue;
      out.push(entry);
      if (out.length >= limit) break;
    }
    if (page.length < PAGE) break;
    end = `(${page[page.length - 1]![0]}`;
  }
  return out;
}

function toStoredReject(id: string, fields: string[]): StoredReject {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const num = (name: string): number => Number(map.get(name) ?? 'NaN');
  return {
    id,
    atMs: num('atMs'),
    source: map.get('source') ?? '',
    symbol: map.get('symbol') ?? '',
    reason: map.get('reason') ?? '',
    bid: num('bid'),
    ask: num('ask'),
    last: num('last'),
    sourceTsMs: num('sourceTsMs'),
    receivedMs: num('receivedMs'),
  };
}
