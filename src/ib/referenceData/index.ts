export { CachedLookupError } from './cachedLookupError.ts';
export { ContractDetailsCache, type ContractDetailsCacheOptions } from './contractDetailsCache.ts';
export { contractKey, type ContractKeyFields } from './contractKey.ts';
export {
  DEFAULT_REFERENCE_DATA_CACHE_CONFIG,
  parseReferenceDataCacheConfig,
  referenceDataCacheConfigSchema,
  type ParseReferenceDataCacheConfigOptions,
  type ReferenceDataCacheConfig,
} from './referenceDataCacheConfig.ts';
export { listingOf, type ListedFuture } from './listedFuture.ts';
export { ReferenceDataService } from './referenceDataService.ts';
