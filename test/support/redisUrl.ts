/** The shared Redis every test talks to (never flushed: tests use their own prefixes or DB numbers). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The shared Redis, database `db`: for suites that count or scan keys and want a DB of their own. */
export function redisUrlForDb(db: number): string {
  return `${REDIS_URL.replace(/\/\d+$/, '')}/${db}`;
}
