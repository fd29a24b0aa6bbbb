import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface StoredText {
  text: string;
  /** Time left before Redis expires the key; `null` when it has no expiry. */
  remainingMs: number | null;
}

export interface RedisTierOptions {
  /** A Redis command slower than this counts as Redis being unavailable. */
  timeoutMs: number;
  logger?: Logger;
}

class RedisDeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
  }
}

/**
 * The shared cache layer. It never throws and never waits long: when Redis is down a read is a
 * miss and a write is skipped, because reference data can always be loaded from IB and a cache
 * must not turn a Redis outage into a trading outage. An outage is logged once, and so is the end.
 */
export class RedisTier {
  private unavailable = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisTierOptions,
  ) {}

  get available(): boolean {
    return !this.unavailable;
  }

  async read(key: string): Promise<StoredText | null> {
    const replies = await this.attempt('read', () => this.redis.multi().get(key).pttl(key).exec());
    if (!replies) return null;
    const [[getError, text] = [], [ttlError, ttl] = []] = replies;
    if (getError || ttlError || typeof text !== 'string') return null;
    const remainingMs = Number(ttl);
    // -2: the key expired between the two commands; -1: someone stored it without an expiry.
    if (remainingMs === -2) return null;
    return { text, remainingMs: remainingMs < 0 ? null : remainingMs };
  }

  async write(key: string, text: string, ttlMs: number): Promise<void> {
    await this.attempt('write', () => this.redis.set(key, text, 'PX', ttlMs));
  }

  async remove(key: string): Promise<void> {
    await this.attempt('remove', () => this.redis.del(key));
  }

  private async attempt<R>(operation: string, command: () => Promise<R>): Promise<R | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisDeadlineError(this.options.timeoutMs)), this.options.timeoutMs);
      timer.unref?.();
    });
    try {
      const result = await Promise.race([command(), deadline]);
      this.markAvailable();
      return result;
    } catch (error) {
      this.markUnavailable(operation, error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private markAvailable(): void {
    if (!this.unavailable) return;
    this.unavailable = false;
    this.options.logger?.info('reference data cache: Redis is back; using the shared cache again');
  }

  private markUnavailable(operation: string, error: unknown): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.options.logger?.warn('reference data cache: Redis unavailable; serving from memory and IB until it is back', {
      operation,
      error: errorMessage(error),
    });
  }
}
