import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import { CachedLookupError } from './cachedLookupError.ts';
import { decodeEntry, encodeEntry, type CacheEntry } from './cacheEntry.ts';
import { LruMap } from './lruMap.ts';
import { RedisTier } from './redisTier.ts';
import { parseReferenceDataCacheConfig, type ReferenceDataCacheConfig } from './referenceDataCacheConfig.ts';
import { namespaceKeys } from '../../redis/namespaceKeys.ts';

export interface ContractDetailsCacheOptions {
  /** Shared with the caller, who owns its lifecycle. `enableOfflineQueue: false` keeps an outage fast. */
  redis: Redis;
  /** The runtime's namespace: the cache's keys are under it (config `keyPrefix` is relative). */
  namespace: string;
  config?: Partial<ReferenceDataCacheConfig>;
  /** Clock for the in-process layer's expiry (Redis keeps its own). */
  now?: () => number;
  logger?: Logger;
}

interface LocalEntry<T> {
  entry: CacheEntry<T>;
  expiresAt: number;
}

/**
 * Contract details in two layers: an in-process LRU in front of Redis (shared across processes
 * and restarts), both with a TTL. A failed load is remembered briefly too, so a burst of lookups
 * during an IB outage costs one request, not one per caller. Values must survive JSON.
 * Callers get the cached object itself from the memory layer and must not mutate it.
 */
export class ContractDetailsCache<T> {
  readonly config: ReferenceDataCacheConfig;
  /** Where entries live in Redis: `<keyPrefix><lookup key>`, under the namespace. */
  readonly keyPrefix: string;
  private readonly local: LruMap<string, LocalEntry<T>>;
  private readonly shared: RedisTier;
  private readonly loading = new Map<string, Promise<T>>();
  private readonly now: () => number;
  private readonly logger: Logger | undefined;

  constructor(options: ContractDetailsCacheOptions) {
    this.config = parseReferenceDataCacheConfig(options.config ?? {});
    this.keyPrefix = namespaceKeys(options.namespace).referenceDataCache(this.config.keyPrefix);
    this.local = new LruMap(this.config.l1MaxEntries);
    this.shared = new RedisTier(options.redis, { timeoutMs: this.config.redisTimeoutMs, logger: options.logger });
    this.now = options.now ?? (() => Date.now());
    this.logger = options.logger;
  }

  /**
   * The cached value for `key`, or `load()`'s result. Concurrent misses for one key share a single
   * `load()`. A load failure is rethrown as is, then answered with CachedLookupError until
   * `negativeTtlMs` has passed.
   */
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const local = this.readLocal(key);
    if (local) return this.settle(key, local);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const miss = this.miss(key, load).finally(() => this.loading.delete(key));
    this.loading.set(key, miss);
    return miss;
  }

  /** Whether Redis answered the last command; for health reporting. */
  get redisAvailable(): boolean {
    return this.shared.available;
  }

  /** Keys held in memory, least recently used first. */
  localKeys(): string[] {
    return this.local.keys();
  }

  private async miss(key: string, load: () => Promise<T>): Promise<T> {
    const stored = await this.shared.read(this.redisKey(key));
    const entry = stored && decodeEntry<T>(stored.text);
    if (stored && entry) {
      const lifetime = entry.ok ? this.config.ttlMs : this.config.negativeTtlMs;
      const local = this.storeLocal(key, entry, Math.min(lifetime, stored.remainingMs ?? lifetime));
      return this.settle(key, local);
    }
    let value: T;
    try {
      value = await load();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger?.warn('contract details lookup failed; answering with the failure until it expires', {
        key,
        error: message,
        negativeTtlMs: this.config.negativeTtlMs,
      });
      await this.remember(key, { ok: false, message }, this.config.negativeTtlMs);
      throw error;
    }
    await this.remember(key, { ok: true, value }, this.config.ttlMs);
    return value;
  }

  private async remember(key: string, entry: CacheEntry<T>, ttlMs: number): Promise<void> {
    this.storeLocal(key, entry, ttlMs);
    await this.shared.write(this.redisKey(key), encodeEntry(entry), ttlMs);
  }

  private readLocal(key: string): LocalEntry<T> | undefined {
    const local = this.local.get(key);
    if (!local) return undefined;
    if (local.expiresAt > this.now()) return local;
    this.local.delete(key);
    return undefined;
  }

  private storeLocal(key: string, entry: CacheEntry<T>, ttlMs: number): LocalEntry<T> {
    const local = { entry, expiresAt: this.now() + ttlMs };
    this.local.set(key, local);
    return local;
  }

  private settle(key: string, { entry, expiresAt }: LocalEntry<T>): T {
    if (entry.ok) return entry.value;
    throw new CachedLookupError(key, entry.message, Math.max(0, expiresAt - this.now()));
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}${key}`;
  }
}
