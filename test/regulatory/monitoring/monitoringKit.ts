import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadLevelConfig, type LevelConfig } from '../../../src/regulatory/cftc/levels/loadLevelConfig.ts';
import { DEMO_REGULATORY_CONFIG } from '../../../src/regulatory/regulatoryConfig.ts';
import { PACKAGE_ROOT } from '../../../src/packageRoot.ts';
import { deleteByPrefix } from '../../support/redisKeys.ts';
import { redisUrlForDb } from '../../support/redisUrl.ts';

/** Database 6 is these tests' own (11 and 12 belong to others); every test adds a unique prefix. */
export const REDIS_URL = redisUrlForDb(6);

export function uniquePrefix(what: string): string {
  return `test-regmon-${what}-${randomBytes(5).toString('hex')}`;
}

/** The shipped 15.03(b) table and instrument map (ZC corn: 250 contracts). */
export function shippedLevels(): LevelConfig {
  return loadLevelConfig(DEMO_REGULATORY_CONFIG.levelsPath, DEMO_REGULATORY_CONFIG.instrumentMapPath, PACKAGE_ROOT);
}

/** A Redis client on the test database and a cleanup that deletes every key under the prefix. */
export function testRedis(prefix: string): { redis: Redis; cleanup(): Promise<void> } {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  return {
    redis,
    async cleanup() {
      await deleteByPrefix(redis, prefix);
      await redis.quit();
    },
  };
}

