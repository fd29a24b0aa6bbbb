import type { Redis } from 'ioredis';
import type { auditKeys } from '../../audit/auditKeys.ts';
import { readChainPoint, readChainTip } from '../../audit/chainTip.ts';
import type { RememberedAnchors, StoredAnchors } from './anchors.ts';

/** Where each anchor lives in Redis (the runtime's namespace: see capabilities/continuity.ts). */
export interface AnchorLocations {
  /** String: the store's epoch, a random id written once by the first process that finds it empty. */
  epochKey: string;
  audit: ReturnType<typeof auditKeys>;
  /** Order-id high-water mark keys by IB connection systemId. */
  orderIdMarkKeys: ReadonlyMap<string, string>;
}

/** Reads the anchors as the store has them now; a Redis error rejects (never read as "gone"). */
export async function readStoredAnchors(redis: Redis, where: AnchorLocations, remembered: RememberedAnchors): Promise<StoredAnchors> {
  const markEntries = [...where.orderIdMarkKeys];
  const [epoch, marks, auditAtRememberedHead, auditTip] = await Promise.all([
    redis.get(where.epochKey),
    markEntries.length === 0 ? Promise.resolve([] as (string | null)[]) : redis.mget(...markEntries.map(([, key]) => key)),
    remembered.auditHead ? readChainPoint(redis, where.audit, remembered.auditHead.streamId) : Promise.resolve(undefined),
    readChainTip(redis, where.audit),
  ]);
  const orderIdMarks: Record<string, number> = {};
  markEntries.forEach(([systemId], index) => {
    orderIdMarks[systemId] = Number(marks[index] ?? 0) || 0;
  });
  return { epoch, orderIdMarks, auditAtRememberedHead: auditAtRememberedHead ?? null, auditTip: auditTip ?? null };
}
