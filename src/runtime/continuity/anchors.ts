import type { ChainPoint } from '../../audit/chainTip.ts';
import type { StateAnchor } from '../../audit/runtimeRecordKinds.ts';

/** What the process knows the store held: it must still hold it (or more). */
export interface RememberedAnchors {
  /** null before the first check: nothing is known yet. */
  epoch: string | null;
  /** Order-id high-water mark by IB connection systemId; a mark only grows. */
  orderIdMarks: Record<string, number>;
  /** The last audit record seen: it must still be in the trail, unchanged. */
  auditHead: ChainPoint | null;
}

/** What the store holds now, read for comparison with what is remembered. */
export interface StoredAnchors {
  epoch: string | null;
  orderIdMarks: Record<string, number>;
  /** The record now under the remembered head's stream id, if any. */
  auditAtRememberedHead: ChainPoint | null;
  /** The trail's last record now. */
  auditTip: ChainPoint | null;
}

export type Assessment =
  /** Nothing remembered and an empty store: a first start. */
  | { verdict: 'fresh' }
  /** Nothing remembered, and the store has state: take it as it is (a first start on an existing store). */
  | { verdict: 'adopt' }
  | { verdict: 'intact' }
  | { verdict: 'lost'; lost: StateAnchor[]; details: string[] };

export const NOTHING_REMEMBERED: RememberedAnchors = { epoch: null, orderIdMarks: {}, auditHead: null };

/**
 * Compares the store with what the process remembers. Anchors only move forward (marks grow, the
 * trail only gets longer), so anything gone, lower or different means the store is not the one the
 * process wrote to: it was wiped, restarted empty, restored from an older copy, or swapped.
 */
export function assessAnchors(remembered: RememberedAnchors, stored: StoredAnchors): Assessment {
  if (remembered.epoch === null) {
    const empty = stored.epoch === null && stored.auditTip === null && Object.values(stored.orderIdMarks).every((mark) => mark === 0);
    return { verdict: empty ? 'fresh' : 'adopt' };
  }
  const lost: StateAnchor[] = [];
  const details: string[] = [];
  if (stored.epoch !== remembered.epoch) {
    lost.push('epoch');
    details.push(stored.epoch === null ? `the epoch ${remembered.epoch} is gone` : `the store carries epoch ${stored.epoch}, not ${remembered.epoch}`);
  }
  const lowered = Object.entries(remembered.orderIdMarks).filter(([systemId, mark]) => (stored.orderIdMarks[systemId] ?? 0) < mark);
  if (lowered.length > 0) {
    lost.push('order-id mark');
    for (const [systemId, mark] of lowered) details.push(`the order-id mark of ${systemId} is ${stored.orderIdMarks[systemId] ?? 0}, below ${mark}`);
  }
  const head = remembered.auditHead;
  if (head !== null) {
    const found = stored.auditAtRememberedHead;
    if (found === null || found.seq !== head.seq || found.hash !== head.hash) {
      lost.push('audit head');
      details.push(found === null ? `audit record seq ${head.seq} (stream id ${head.streamId}) is gone` : `audit record ${head.streamId} is now seq ${found.seq}, hash ${found.hash}, not seq ${head.seq}, hash ${head.hash}`);
    }
  }
  return lost.length === 0 ? { verdict: 'intact' } : { verdict: 'lost', lost, details };
}

/** After an intact check: the store's (higher) marks and newer head become what must be there. */
export function advanceAnchors(remembered: RememberedAnchors, stored: StoredAnchors, epoch: string): RememberedAnchors {
  const orderIdMarks = { ...remembered.orderIdMarks };
  for (const [systemId, mark] of Object.entries(stored.orderIdMarks)) orderIdMarks[systemId] = Math.max(orderIdMarks[systemId] ?? 0, mark);
  return { epoch, orderIdMarks, auditHead: stored.auditTip ?? remembered.auditHead };
}
