import { ReplyError, type Redis } from 'ioredis';
import { redactUrlPassword } from '../../config/describeConfigForLog.ts';
import type { Logger } from '../../log/logger.ts';

/** What Redis says about keeping its data, or why it would not say (a managed Redis forbids CONFIG). */
export type RedisPersistence =
  | { readable: true; appendonly: string; appendfsync: string; save: string; maxmemoryPolicy: string }
  | { readable: false; why: string };

export interface PersistenceVerdict {
  /** Why the runtime must not start, or null. */
  refusal: string | null;
  warnings: string[];
}

/** Thrown by the start when Redis keeps nothing on disk and broker mode is `ib`; the message says why and what to do. */
export class VolatileRedisError extends Error {
  override readonly name = 'VolatileRedisError';
}

export async function readRedisPersistence(redis: Redis): Promise<RedisPersistence> {
  // One parameter per CONFIG GET: Redis before 7 takes only one.
  const get = async (name: string) => ((await redis.call('CONFIG', 'GET', name)) as string[])[1] ?? '';
  try {
    const [appendonly, appendfsync, save, maxmemoryPolicy] = await Promise.all(['appendonly', 'appendfsync', 'save', 'maxmemory-policy'].map(get));
    return { readable: true, appendonly: appendonly!, appendfsync: appendfsync!, save: save!, maxmemoryPolicy: maxmemoryPolicy! };
  } catch (error) {
    // Only Redis refusing the command (NOPERM, a renamed CONFIG) means "not permitted"; a lost connection is a failure.
    if (error instanceof ReplyError) return { readable: false, why: (error as Error).message };
    throw error;
  }
}

const SETTINGS_HINT = 'see the README section "Redis settings for crash safety"';

/** What to make of Redis' persistence settings for a runtime with this broker mode. */
export function judgePersistence(found: RedisPersistence, options: { brokerMode: 'sim' | 'ib'; allowVolatile: boolean; url: string }): PersistenceVerdict {
  if (!found.readable) {
    return {
      refusal: null,
      warnings: [
        `cannot check Redis persistence: CONFIG GET is not permitted (${found.why}), as on many managed Redis services; make sure it runs with appendonly yes and maxmemory-policy noeviction (${SETTINGS_HINT})`,
      ],
    };
  }
  const warnings: string[] = [];
  if (found.maxmemoryPolicy !== 'noeviction') {
    warnings.push(
      `Redis maxmemory-policy is ${found.maxmemoryPolicy}: under memory pressure it may evict tradewire's keys (queues, orders, the order-id mark, the audit trail); BullMQ needs noeviction (CONFIG SET maxmemory-policy noeviction)`,
    );
  }
  const aof = found.appendonly === 'yes';
  const rdb = found.save.trim() !== '';
  if (!aof && !rdb) {
    const why =
      `Redis at ${redactUrlPassword(options.url)} keeps nothing on disk (appendonly no, save ""): a Redis restart forgets the order-id high-water mark, ` +
      'the open orders and the audit trail. tradewire detects that and halts order intake, but orders at the broker cannot be matched to what was lost.';
    if (options.brokerMode === 'ib' && !options.allowVolatile) {
      return {
        refusal:
          `${why}\nWith broker mode ib, tradewire will not start on it. Turn persistence on (CONFIG SET appendonly yes, with appendfsync everysec; ${SETTINGS_HINT}), ` +
          'or start anyway with --allow-volatile-redis (redis.allowVolatile, TRADEWIRE_ALLOW_VOLATILE_REDIS=true).',
        warnings,
      };
    }
    warnings.push(options.brokerMode === 'ib' ? `${why} Started anyway: --allow-volatile-redis is set.` : `${why} Acceptable with the simulator; not with broker mode ib.`);
  } else if (!aof) {
    warnings.push(`Redis keeps only RDB snapshots (save "${found.save}"), no append-only file: a crash loses every write since the last snapshot (tradewire detects it and halts order intake); set appendonly yes (${SETTINGS_HINT})`);
  } else if (found.appendfsync === 'no') {
    warnings.push(`Redis appendfsync is no: the OS flushes the append-only file when it likes (about every 30 s on Linux), so a machine crash loses that much; use everysec (${SETTINGS_HINT})`);
  }
  return { refusal: null, warnings };
}

/** Reads, judges and logs; throws VolatileRedisError when the start must stop. */
export async function checkRedisPersistence(redis: Redis, logger: Logger, options: { brokerMode: 'sim' | 'ib'; allowVolatile: boolean; url: string }): Promise<void> {
  const found = await readRedisPersistence(redis);
  const verdict = judgePersistence(found, options);
  if (verdict.refusal) throw new VolatileRedisError(verdict.refusal);
  if (found.readable) {
    logger.info('redis persistence', { appendonly: found.appendonly, appendfsync: found.appendfsync, save: found.save, maxmemoryPolicy: found.maxmemoryPolicy });
  }
  for (const warning of verdict.warnings) logger.warn('redis persistence', { problem: warning });
}
