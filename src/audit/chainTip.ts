import type { Redis } from 'ioredis';
import type { auditKeys } from './auditKeys.ts';

/** One chained record, as much of it as it takes to recognise it again: where it is, its seq and its hash. */
export interface ChainPoint {
  streamId: string;
  seq: number;
  hash: string;
}

type Keys = ReturnType<typeof auditKeys>;
type RawEntry = [id: string, fields: string[]];

function pointOf(raw: RawEntry | undefined): ChainPoint | undefined {
  if (!raw) return undefined;
  const [streamId, flat] = raw;
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  const seq = Number(fields.get('seq'));
  const hash = fields.get('hash');
  // A record from before the chain, or not a trail record: nothing to recognise it by.
  if (!Number.isSafeInteger(seq) || seq < 1 || hash === undefined) return undefined;
  return { streamId, seq, hash };
}

/** The last record of the trail, or undefined when it is empty (or ends in a record without a hash). */
export async function readChainTip(redis: Redis, keys: Keys): Promise<ChainPoint | undefined> {
  return pointOf(((await redis.xrevrange(keys.stream, '+', '-', 'COUNT', 1)) as RawEntry[])[0]);
}

/** The record stored under `streamId`, if it is still there. */
export async function readChainPoint(redis: Redis, keys: Keys, streamId: string): Promise<ChainPoint | undefined> {
  return pointOf(((await redis.xrange(keys.stream, streamId, streamId)) as RawEntry[])[0]);
}

/**
 * The last record at or before `streamId`: after a loss, what is left of the trail as it was (Redis
 * restored from an older snapshot keeps a prefix of it; a wipe keeps nothing, and records written
 * since have later ids).
 */
export async function readLastPointUpTo(redis: Redis, keys: Keys, streamId: string): Promise<ChainPoint | undefined> {
  return pointOf(((await redis.xrevrange(keys.stream, streamId, '-', 'COUNT', 1)) as RawEntry[])[0]);
}
