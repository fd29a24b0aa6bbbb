import type { Redis } from 'ioredis';
import { auditKeys, canonicalJson, chainHash, GENESIS_HASH } from '../../src/audit/index.ts';

/** A stream entry as raw bytes: `[id, [field, value, ...]]`. */
export type RawEntry = [Buffer, Buffer[]];

export async function readRaw(redis: Redis, key: string): Promise<RawEntry[]> {
  return (await redis.xrangeBuffer(key, '-', '+')) as unknown as RawEntry[];
}

/**
 * How the tests tamper "at the Redis level": Redis cannot edit a stream entry in place, so a
 * mutated trail is a copy, written entry by entry with XADD and explicit ids (byte-exact values),
 * plus a copy of the meta hash. `entries` is what to write, in stream order; their ids must
 * increase, which is why a swap keeps the ids where they were and moves the contents.
 */
export async function writeCopy(redis: Redis, fromKey: string, toKey: string, entries: readonly RawEntry[]): Promise<void> {
  for (const [id, fields] of entries) await redis.xadd(toKey, id, ...fields);
  const meta = await redis.hgetallBuffer(auditKeys(fromKey).meta);
  if (Object.keys(meta).length > 0) await redis.hset(auditKeys(toKey).meta, meta);
}

/**
 * A chained trail at chosen times (the append script always stamps "now"): records as the trail
 * writes them, hashed with chainHash (whose layout verifyChain.test checks byte by byte).
 */
export async function writeChain(redis: Redis, key: string, timesMs: readonly number[], firstSeq = 1, prevHash = GENESIS_HASH): Promise<void> {
  let previous = prevHash;
  let seq = firstSeq;
  for (const tsMs of timesMs) {
    const body = canonicalJson({ kind: 'received', clientOrderId: `t${seq}`, account: 'DU1234567', actor: 'orders', details: { seq } });
    const hash = chainHash({ prevHash: previous, seq, tsMs, body });
    await redis.xadd(key, `${tsMs}-*`, 'seq', String(seq), 'tsMs', String(tsMs), 'prevHash', previous, 'hash', hash, 'body', body);
    await redis.hset(auditKeys(key).meta, 'seq', String(seq), 'lastMs', String(tsMs), 'lastHash', hash);
    previous = hash;
    seq += 1;
  }
}
