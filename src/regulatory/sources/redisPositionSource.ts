import { Redis } from 'ioredis';
import { isIsoDay } from '../../shared/calendarDays.ts';
import { comparePositions, positionKey, type ContractPosition } from '../cftc/positions/contractPosition.ts';
import { contractPositionSchema } from '../cftc/positions/reportingPositionBook.ts';
import type { PositionSource } from '../positionSource.ts';

function dayScore(day: string): number {
  return Number(day.replaceAll('-', ''));
}

/** A day's close that Redis did not take (a failed or aborted transaction). */
export class CloseNotRecordedError extends Error {
  override readonly name = 'CloseNotRecordedError';
}

function checkedDay(day: string): string {
  if (!isIsoDay(day)) throw new Error(`day '${day}' must be a date YYYY-MM-DD`);
  return day;
}

/**
 * Close-of-day positions kept in Redis by the reportable-level monitor, read by the CFTC engine
 * and the CLI. One hash per day, `<prefix>:<YYYY-MM-DD>`, field `account|symbol|contractMonth`
 * → signed net, and a sorted set `<prefix>:days` of every closed day (score YYYYMMDD), so a day
 * closed flat is still a trading day: the next day's drop-off report looks back to it.
 * The prefix is the namespace's (namespaceKeys().regulatoryPositions).
 */
export class RedisPositionSource implements PositionSource {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ownsConnection = false,
  ) {}

  /** A source on a connection of its own, for the CLI: `close()` ends it so the process can exit. */
  static connect(redisUrl: string, prefix: string): RedisPositionSource {
    return new RedisPositionSource(new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true }), prefix, true);
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  dayKey(day: string): string {
    return `${this.prefix}:${day}`;
  }

  get daysKey(): string {
    return `${this.prefix}:days`;
  }

  /** Replaces a day's close in one transaction: a re-run close leaves the later book, never a mix. */
  async recordClose(day: string, positions: readonly ContractPosition[]): Promise<void> {
    const key = this.dayKey(checkedDay(day));
    const nets = new Map<string, number>();
    for (const position of positions.map((p) => contractPositionSchema.parse(p))) {
      if (position.net === 0) continue;
      const field = positionKey(position);
      nets.set(field, (nets.get(field) ?? 0) + position.net);
    }
    const multi = this.redis.multi().del(key);
    if (nets.size > 0) multi.hset(key, Object.fromEntries([...nets].map(([field, net]) => [field, String(net)])));
    multi.zadd(this.daysKey, dayScore(day), day);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw new CloseNotRecordedError(`close of ${day} not recorded: ${failed?.[0]?.message ?? 'transaction aborted'}`);
  }

  async closingPositions(reportDate: string): Promise<ContractPosition[]> {
    const fields = await this.redis.hgetall(this.dayKey(checkedDay(reportDate)));
    return Object.entries(fields)
      .map(([field, net]) => {
        const [account, symbol, contractMonth] = field.split('|');
        return contractPositionSchema.parse({ account, symbol, contractMonth, net: Number(net) });
      })
      .filter((position) => position.net !== 0)
      .sort(comparePositions);
  }

  async previousTradingDay(reportDate: string): Promise<string | null> {
    const [day] = await this.redis.zrevrangebyscore(this.daysKey, `(${dayScore(checkedDay(reportDate))}`, '-inf', 'LIMIT', 0, 1);
    return day ?? null;
  }

  /** Closed days, oldest first. */
  async days(): Promise<string[]> {
    return this.redis.zrange(this.daysKey, '0', '-1');
  }
}
