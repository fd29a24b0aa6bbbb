import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderAuditTrail, type ChainFinding } from '../../src/audit/index.ts';
import { received, useTrails } from './auditFixture.ts';
import { readRaw, writeCopy, type RawEntry } from './trailCopy.ts';

const { redis, trail, cleanup } = useTrails();

/** Whether a finding points at this record, by seq (or a range holding it) or by stream id. */
function names(found: ChainFinding, seq: number, id: string): boolean {
  const f = found as Partial<Record<'seq' | 'fromSeq' | 'toSeq' | 'beforeFromSeq' | 'beforeToSeq', number>> & { id?: string };
  const within = (from?: number, to?: number) => from !== undefined && to !== undefined && from <= seq && seq <= to;
  return f.seq === seq || f.id === id || within(f.fromSeq, f.toSeq) || within(f.beforeFromSeq, f.beforeToSeq);
}

type Mutation =
  | { kind: 'flipByte'; entry: number; field: number; byte: number; xor: number }
  | { kind: 'delete'; entry: number }
  | { kind: 'swap'; a: number; b: number };

const mutation = (size: number): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('flipByte' as const),
      entry: fc.nat(size - 1),
      field: fc.nat(9), // 5 field names and 5 values: seq, tsMs, prevHash, hash, body
      byte: fc.nat(),
      xor: fc.integer({ min: 1, max: 255 }),
    }),
    fc.record({ kind: fc.constant('delete' as const), entry: fc.nat(size - 1) }),
    ...(size > 1
      ? [
          fc
            .tuple(fc.nat(size - 1), fc.nat(size - 2))
            .map(([a, offset]) => ({ kind: 'swap' as const, a: Math.min(a, (a + 1 + offset) % size), b: Math.max(a, (a + 1 + offset) % size) })),
        ]
      : []),
  );

/** Random records, including multi-byte UTF-8 in the body. */
const details = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer(), fc.boolean()), { maxKeys: 4 });
const trailAndMutation = fc
  .array(details, { minLength: 1, maxLength: 10 })
  .chain((records) => fc.tuple(fc.constant(records), mutation(records.length)));

/** Writes `entries` to a copy trail with `mutation` applied; returns the copy and the seqs/ids it should name. */
async function tampered(original: OrderAuditTrail, entries: RawEntry[], change: Mutation): Promise<{ copy: OrderAuditTrail; targets: Array<{ seq: number; id: string }> }> {
  const copy = trail();
  const seqOf = (index: number) => index + 1; // an untouched trail's seqs are 1..N in stream order
  const idOf = (index: number) => (entries[index] as RawEntry)[0].toString();
  if (change.kind === 'flipByte') {
    const [id, fields] = entries[change.entry] as RawEntry;
    const value = Buffer.from(fields[change.field] as Buffer);
    const at = change.byte % value.length;
    value[at] = (value[at] as number) ^ change.xor;
    const mutated = fields.map((field, index) => (index === change.field ? value : field));
    await writeCopy(redis, original.keys.stream, copy.keys.stream, entries.map((entry, index) => (index === change.entry ? [id, mutated] : entry)));
    return { copy, targets: [{ seq: seqOf(change.entry), id: idOf(change.entry) }] };
  }
  if (change.kind === 'delete') {
    await writeCopy(redis, original.keys.stream, copy.keys.stream, entries);
    expect(await redis.xdel(copy.keys.stream, idOf(change.entry))).toBe(1);
    return { copy, targets: [{ seq: seqOf(change.entry), id: idOf(change.entry) }] };
  }
  // The contents of a and b trade places; the ids stay in place, so the stream still orders.
  const swapped = entries.map((entry, index): RawEntry => {
    const from = index === change.a ? change.b : index === change.b ? change.a : index;
    return [entry[0], (entries[from] as RawEntry)[1]];
  });
  await writeCopy(redis, original.keys.stream, copy.keys.stream, swapped);
  return { copy, targets: [change.a, change.b].map((index) => ({ seq: seqOf(index), id: idOf(index) })) };
}

describe('hash chain: tampering is detected and named (real Redis)', () => {
  it('fast-check: one flipped byte, one XDEL or one swap is found, naming the record; the untouched copy verifies clean', async () => {
    await fc.assert(
      fc.asyncProperty(trailAndMutation, async ([records, change]) => {
        const original = trail();
        for (const [n, extra] of records.entries()) await original.append(received(`o-${n % 3}`, { details: extra }));
        const entries = await readRaw(redis, original.keys.stream);

        const clean = trail();
        await writeCopy(redis, original.keys.stream, clean.keys.stream, entries);
        const cleanReport = await clean.verify();
        expect(cleanReport.findings).toEqual([]);
        expect(cleanReport).toMatchObject({ ok: true, checked: records.length, last: { seq: records.length } });

        const { copy, targets } = await tampered(original, entries, change);
        const report = await copy.verify();
        expect(report.ok).toBe(false);
        for (const target of targets) {
          expect(report.findings.some((found) => names(found, target.seq, target.id)), `${JSON.stringify(change)} names seq ${target.seq}: ${JSON.stringify(report.findings)}`).toBe(true);
        }
        await cleanup();
      }),
      { numRuns: 150 },
    );
  });
});
