import type { AuditEntry } from '../audit/index.ts';
import type { OrderHistoryEntry } from './orderSummary.ts';

/**
 * An order's audit trail as its history (`tradewire order show`'s lines): when, what, and each
 * record's own fields with its sequence number and actor. What every record of the order repeats
 * (its id and account) and the stamp's other forms are left out.
 */
export function orderHistory(entries: readonly AuditEntry[]): OrderHistoryEntry[] {
  return entries.map(({ record }) => {
    const { kind, ts, tsMs: _tsMs, clientOrderId: _clientOrderId, account: _account, ...fields } = record as unknown as Record<string, unknown> & { kind: string; ts: string };
    return { at: ts, kind, ...fields };
  });
}
