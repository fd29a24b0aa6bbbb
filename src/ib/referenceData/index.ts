export { CachedLookupError } from './cachedLookupError';
export { ContractDetailsCache, type ContractDetailsCacheOptions } from './contractDetailsCache';
export { contractKey, type ContractKeyFields } from './contractKey';
export { LruMap } from './lruMap';
export {
  DEFAULT_REFERENCE_DATA_CACHE_CONFIG,
  parseReferenceDataCacheConfig,
  referenceDataCacheConfigSchema,
  type ParseReferenceDataCacheConfigOptions,
  type ReferenceDataCacheConfig,
} from './referenceDataCacheConfig';
