import { expect } from 'vitest';
import fc from 'fast-check';
import type { AppendResult, AuditEntry, AuditRecordInput, OrderAuditTrail } from '../../src/audit/index.ts';

/** One append call: an order, and a fill's execId (from a small pool, so fills repeat) or none. */
export interface Call {
  order: number;
  kind: 'received' | 'validated' | 'acknowledged' | 'cancelRequested' | 'filled' | 'partiallyFilled';
  exec: number;
  /** Unique per call, so each stored body says which call wrote it. */
  n: number;
}

export const callArbitrary = (execPool: number) =>
  fc.record({
    order: fc.integer({ min: 0, max: 7 }),
    kind: fc.constantFrom('received', 'validated', 'acknowledged', 'cancelRequested', 'filled', 'partiallyFilled'),
    exec: fc.integer({ min: 0, max: execPool }),
  });

export function numbered<T>(calls: readonly T[], from = 0): (T & { n: number })[] {
  return calls.map((call, index) => ({ ...call, n: from + index }));
}

export function recordOf(call: Call): AuditRecordInput {
  const common = { clientOrderId: `g-${call.order}`, account: 'DU1234567', details: { n: call.n } };
  if (call.kind === 'filled' || call.kind === 'partiallyFilled') {
    // Repeats of an execId carry a different price, so a duplicate's answer shows whose record it is.
    return { ...common, kind: call.kind, actor: 'ib', execId: `x-${call.exec}`, quantity: 1, price: 100 + call.n };
  }
  return { ...common, kind: call.kind, actor: 'orders' } as AuditRecordInput;
}

const execIdOf = (call: Call) => (call.kind === 'filled' || call.kind === 'partiallyFilled' ? `x-${call.exec}` : undefined);

/**
 * What must hold after any mix of appends on one stream, whoever made them: the chain verifies;
 * seqs are 1..M with no gaps; every non-duplicate caller's record is stored under the id it got,
 * with its own body; each execId is stored once, and every caller with it got that one record;
 * each writer's seqs follow the order of its calls; and each order's index lists its records.
 */
export async function expectConsistentTrail(audit: OrderAuditTrail, writers: { calls: Call[]; results: AppendResult[] }[]): Promise<void> {
  const report = await audit.verify();
  expect(report.findings).toEqual([]);
  expect(report.ok).toBe(true);

  const stored = await audit.readRange({ limit: 10_000 });
  expect(stored.map((entry) => entry.record.seq)).toEqual(stored.map((_, index) => index + 1));
  const byId = new Map(stored.map((entry) => [entry.id, entry]));

  const firstOfExec = new Map<string, AppendResult>();
  for (const entry of stored) {
    const execId = 'execId' in entry.record ? entry.record.execId : undefined;
    if (execId === undefined) continue;
    expect(firstOfExec.has(execId), `execId ${execId} stored twice`).toBe(false);
    firstOfExec.set(execId, { ...entry.chain!, id: entry.id, seq: entry.record.seq, tsMs: entry.record.tsMs, ts: entry.record.ts, duplicate: false });
  }

  let written = 0;
  for (const { calls, results } of writers) {
    expect(results).toHaveLength(calls.length);
    const ownSeqs = results.filter((result) => !result.duplicate).map((result) => result.seq);
    expect(ownSeqs).toEqual([...ownSeqs].sort((a, b) => a - b));
    for (const [index, call] of calls.entries()) {
      const result = results[index] as AppendResult;
      const execId = execIdOf(call);
      if (execId !== undefined) {
        expect({ ...result, duplicate: false }).toEqual(firstOfExec.get(execId));
      }
      if (result.duplicate) continue;
      written += 1;
      const entry = byId.get(result.id);
      expect(entry?.record).toEqual({ ...recordOf(call), seq: result.seq, ts: result.ts, tsMs: result.tsMs });
      expect(entry?.chain).toEqual({ prevHash: result.prevHash, hash: result.hash });
    }
  }
  expect(written).toBe(stored.length);

  // The per-order indexes: each order's records, in append order, none left out or doubled.
  const orderOf = (entry: AuditEntry) => ('clientOrderId' in entry.record ? entry.record.clientOrderId : undefined);
  for (const clientOrderId of new Set(stored.map(orderOf))) {
    if (clientOrderId === undefined) continue;
    const history = await audit.historyOf(clientOrderId);
    expect(history.map((entry) => entry.id)).toEqual(stored.filter((entry) => orderOf(entry) === clientOrderId).map((entry) => entry.id));
  }
}
