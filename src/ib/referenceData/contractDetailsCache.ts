import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.ts';
import { CachedLookupError } from './cachedLookupError.ts';
import { decodeEntry, encodeEntry, type CacheEntry } from './cacheEntry.ts';
import { RedisTier } from './redisTier.ts';
import { parseReferenceDataCacheConfig, type ReferenceDataCacheConfig } from './referenceDataCacheConfig.ts';
import { namespaceKeys } from '../../redis/namespaceKeys.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

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

/** An entry as memory holds it: a failure loaded just now keeps the original error for the callers that waited on it. */
type LocalEntry<T> = CacheEntry<T> & { readonly thrown?: unknown };

/**
 * Contract details in two layers: an in-process LRU (lru-cache, with a TTL per entry) in front of
 * Redis (shared across processes and restarts). A miss goes through lru-cache's fetchMethod, so
 * concurrent misses for one key share one Redis read and at most one load. A failed load is
 * remembered briefly too, so a burst of lookups during an IB outage costs one request, not one per
 * caller. Values must survive JSON. Callers get the cached object itself and must not mutate it.
 */
export class ContractDetailsCache<T> {
  readonly config: ReferenceDataCacheConfig;
  /** Where entries live in Redis: `<keyPrefix><lookup key>`, under the namespace. */
  readonly keyPrefix: string;
  private readonly local: LRUCache<string, LocalEntry<T>, () => Promise<T>>;
  private readonly shared: RedisTier;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;

  constructor(options: ContractDetailsCacheOptions) {
    this.config = parseReferenceDataCacheConfig(options.config ?? {});
    this.keyPrefix = namespaceKeys(options.namespace).referenceDataCache(this.config.keyPrefix);
    this.shared = new RedisTier(options.redis, { timeoutMs: this.config.redisTimeoutMs, logger: options.logger });
    this.now = options.now ?? (() => Date.now());
    this.logger = options.logger;
    this.local = new LRUCache<string, LocalEntry<T>, () => Promise<T>>({
      max: this.config.l1MaxEntries,
      ttl: this.config.ttlMs,
      perf: { now: this.now },
      fetchMethod: (key, _stale, { options, context: load }) => this.miss(key, load, options),
    });
  }

  /**
   * The cached value for `key`, or `load()`'s result. Concurrent misses for one key share a single
   * `load()`. A load failure is rethrown as is to the callers that waited on it, then answered with
   * CachedLookupError until `negativeTtlMs` has passed.
   */
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const status: LRUCache.Status<string, LocalEntry<T>> = {};
    const entry = (await this.local.fetch(key, { context: load, status }))!;
    if (entry.ok) return entry.value;
    if (status.fetch !== 'hit' && 'thrown' in entry) throw entry.thrown;
    throw new CachedLookupError(key, entry.message, this.local.getRemainingTTL(key));
  }

  /**
   * Forgets `key` in memory and in Redis, so the next get loads it again: for an answer that went
   * out of date before its TTL (a listing whose front month expired). A load already in flight
   * still answers the callers waiting on it.
   */
  async invalidate(key: string): Promise<void> {
    this.local.delete(key);
    await this.shared.remove(this.redisKey(key));
  }

  /** Whether Redis answered the last command; for health reporting. */
  get redisAvailable(): boolean {
    return this.shared.available;
  }

  /** Keys held in memory, least recently used first. */
  localKeys(): string[] {
    return [...this.local.rkeys()];
  }

  private async miss(key: string, load: () => Promise<T>, options: { ttl?: number }): Promise<LocalEntry<T>> {
    const stored = await this.shared.read(this.redisKey(key));
    const entry = stored && decodeEntry<T>(stored.text);
    if (stored && entry) {
      const lifetime = entry.ok ? this.config.ttlMs : this.config.negativeTtlMs;
      options.ttl = Math.min(lifetime, stored.remainingMs ?? lifetime);
      return entry;
    }
    try {
      const loaded: CacheEntry<T> = { ok: true, value: await load() };
      this.share(key, loaded, this.config.ttlMs);
      return loaded;
    } catch (error) {
      const message = errorMessage(error);
      this.logger?.warn('contract details lookup failed; answering with the failure until it expires', { key, error: message, negativeTtlMs: this.config.negativeTtlMs });
      const failed: CacheEntry<T> = { ok: false, message };
      options.ttl = this.config.negativeTtlMs;
      this.share(key, failed, this.config.negativeTtlMs);
      return { ...failed, thrown: error };
    }
  }

  /**
   * Not awaited: memory's TTL starts when the fetch settles, so waiting for Redis would let the
   * memory entry outlive the shared one. The tier never throws, and the write is queued on the
   * connection ahead of anything sent after this.
   */
  private share(key: string, entry: CacheEntry<T>, ttlMs: number): void {
    void this.shared.write(this.redisKey(key), encodeEntry(entry), ttlMs);
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}${key}`;
  }
}
