import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AuditInputError, OrderAuditTrail, type AppendResult, type AuditRecordInput } from '../../src/audit/index.ts';
import { connectRedis, deleteTrail, freshTrail, received } from './auditFixture.ts';
import { callArbitrary, expectConsistentTrail, numbered, recordOf, type Call } from './groupCommitCheck.ts';

const redis = connectRedis();
const others = [connectRedis(), connectRedis()];
const trails: OrderAuditTrail[] = [];
const trail = () => {
  const created = freshTrail(redis);
  trails.push(created);
  return created;
};
afterEach(async () => {
  for (const created of trails.splice(0)) await deleteTrail(redis, created);
  vi.restoreAllMocks();
});
afterAll(() => {
  redis.disconnect();
  for (const client of others) client.disconnect();
});

const burst = (audit: OrderAuditTrail, calls: Call[]) => Promise.all(calls.map((call) => audit.append(recordOf(call))));

describe('group commit (real Redis)', () => {
  it('two bursts of 1,000 from one trail: seqs in call order, own records back, repeated fills resolve to the first', async () => {
    const audit = trail();
    const client = others[0]!;
    const writer = new OrderAuditTrail(client, { key: audit.keys.stream });
    const scriptCalls = vi.spyOn(client, 'evalsha');
    const [first, second] = fc.sample(fc.array(callArbitrary(150), { minLength: 1_000, maxLength: 1_000 }), { numRuns: 2, seed: 1935 }) as [Call[], Call[]];
    const calls = [...numbered(first), ...numbered(second, first.length)];

    // The second burst repeats execIds of the first (stored) and of itself (same batch).
    const results = [...(await burst(writer, calls.slice(0, 1_000))), ...(await burst(writer, calls.slice(1_000)))];

    await expectConsistentTrail(audit, [{ calls, results }]);
    const written = results.filter((result) => !result.duplicate);
    expect(written.map((result) => result.seq)).toEqual(written.map((_, index) => index + 1));
    const firstCallOf = new Map<number, number>();
    for (const [index, call] of calls.entries()) {
      if (call.kind !== 'filled' && call.kind !== 'partiallyFilled') continue;
      const first = firstCallOf.get(call.exec);
      if (first === undefined) {
        firstCallOf.set(call.exec, index);
        expect(results[index]?.duplicate).toBe(false);
      } else {
        expect(results[index]).toEqual({ ...results[first], duplicate: true });
      }
    }
    expect(results.filter((result) => result.duplicate).length).toBeGreaterThan(100);
    // Grouped: far fewer script calls than appends (retries for duplicates included).
    expect(scriptCalls.mock.calls.length).toBeLessThan(calls.length / 20);
  });

  it('two trails on separate connections bursting at once: the chain verifies, seqs have no gaps, each fill is stored once', async () => {
    const audit = trail();
    const writers = others.map((client) => new OrderAuditTrail(client, { key: audit.keys.stream }));
    const [a, b] = fc.sample(fc.array(callArbitrary(80), { minLength: 600, maxLength: 600 }), { numRuns: 2, seed: 7 }) as [Call[], Call[]];
    const callsA = numbered(a);
    const callsB = numbered(b, a.length);
    const [resultsA, resultsB] = await Promise.all([burst(writers[0]!, callsA), burst(writers[1]!, callsB)]);
    await expectConsistentTrail(audit, [
      { calls: callsA, results: resultsA },
      { calls: callsB, results: resultsB },
    ]);
  });

  it('a record refused by validation fails only its own caller', async () => {
    const audit = trail();
    const records: AuditRecordInput[] = Array.from({ length: 40 }, (_, n) => received(`v-${n % 3}`, { details: { n } }));
    records[17] = { ...records[17], actor: 'has space' } as AuditRecordInput;
    const settled = await Promise.allSettled(records.map((record) => audit.append(record)));
    expect(settled.map((s) => s.status === 'rejected')).toEqual(records.map((_, n) => n === 17));
    expect((settled[17] as PromiseRejectedResult).reason).toBeInstanceOf(AuditInputError);
    const seqs = settled.filter((s): s is PromiseFulfilledResult<AppendResult> => s.status === 'fulfilled').map((s) => s.value.seq);
    expect(seqs).toEqual(Array.from({ length: 39 }, (_, n) => n + 1));
    expect((await audit.verify()).ok).toBe(true);
  });

  it('a batch Redis refuses (an order index of the wrong type) fails its callers, writes nothing, and the trail carries on', async () => {
    const audit = trail();
    await audit.append(received('before'));
    await redis.set(audit.keys.orderIndex('bad'), 'not a list');
    const records = Array.from({ length: 600 }, (_, n) => received(n === 450 ? 'bad' : `ok-${n % 5}`, { details: { n } }));

    const settled = await Promise.allSettled(records.map((record) => audit.append(record)));

    const rejected = settled.flatMap((s, n) => (s.status === 'rejected' ? [n] : []));
    expect(rejected).toContain(450);
    for (const n of rejected) expect(String((settled[n] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE audit order index .*:order:bad holds a string; nothing was written/);
    // Only whole batches fail: the rejected calls are one contiguous run around the bad record.
    expect(rejected).toEqual(Array.from({ length: rejected.length }, (_, k) => (rejected[0] as number) + k));
    expect(rejected.length).toBeLessThan(records.length);
    const fulfilled = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.seq] : []));
    expect(fulfilled).toEqual(fulfilled.map((_, k) => k + 2));
    expect(await redis.xlen(audit.keys.stream)).toBe(1 + fulfilled.length);
    expect(await redis.get(audit.keys.orderIndex('bad'))).toBe('not a list');

    const after = await audit.append(received('after'));
    expect(after.seq).toBe(fulfilled.length + 2);
    const report = await audit.verify();
    expect(report.findings).toEqual([]);
    expect(report.checked).toBe(fulfilled.length + 2);
  });

  it('fast-check: random interleavings of appends and repeated fills from two writers keep the chain whole', async () => {
    const step = fc.record({ call: callArbitrary(6), writer: fc.integer({ min: 0, max: 1 }), settleFirst: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
        const audit = freshTrail(redis);
        const writers = others.map((client) => new OrderAuditTrail(client, { key: audit.keys.stream }));
        const calls = numbered(steps.map((s) => s.call));
        // Each writer fires its calls in order, now and then waiting for what it has in flight,
        // so batch boundaries and the race between the writers vary run by run.
        const perWriter = [0, 1].map((w) =>
          (async () => {
            const mine = steps.flatMap((s, n) => (s.writer === w ? [{ call: calls[n] as Call, settleFirst: s.settleFirst }] : []));
            const pending: Promise<AppendResult>[] = [];
            for (const { call, settleFirst } of mine) {
              if (settleFirst) await Promise.all(pending);
              pending.push((writers[w] as OrderAuditTrail).append(recordOf(call)));
            }
            return { calls: mine.map((m) => m.call), results: await Promise.all(pending) };
          })(),
        );
        await expectConsistentTrail(audit, await Promise.all(perWriter));
        await deleteTrail(redis, audit);
      }),
      { numRuns: 40 },
    );
  });
});
