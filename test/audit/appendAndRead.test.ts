import { describe, expect, it } from 'vitest';
import { canonicalSerialise, type AuditRecordInput } from '../../src/audit/index.ts';
import { received, useTrails } from './auditFixture.ts';

const { redis, trail } = useTrails();

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** One order's life, every kind of record. */
const lifecycle = (id: string): AuditRecordInput[] => [
  { kind: 'received', clientOrderId: id, account: 'DU1234567', actor: 'orders', jobId: id, payload: { side: 'BUY', quantity: 2 } },
  { kind: 'validated', clientOrderId: id, account: 'DU1234567', actor: 'orders', priority: 40 },
  { kind: 'sent', clientOrderId: id, account: 'DU1234567', actor: `order:${id}`, ibOrderId: 17, clientId: 1, gateway: '127.0.0.1:4002' },
  { kind: 'acknowledged', clientOrderId: id, account: 'DU1234567', actor: 'ib', ibOrderId: 17, status: 'Submitted', permId: 99 },
  { kind: 'modified', clientOrderId: id, account: 'DU1234567', actor: `order:${id}`, changes: { limitPrice: 5211 }, previous: { limitPrice: 5210.25 } },
  { kind: 'partiallyFilled', clientOrderId: id, account: 'DU1234567', actor: 'ib', execId: `${id}.e1`, quantity: 1, price: 5211, commission: 2.25, commissionCurrency: 'USD' },
  { kind: 'filled', clientOrderId: id, account: 'DU1234567', actor: 'ib', execId: `${id}.e2`, quantity: 1, price: 5211, cumulativeQuantity: 2, executedAt: '2024-03-15T14:30:00.120Z' },
];

describe('order audit trail (real Redis)', () => {
  it('assigns gap-free sequence numbers and UTC millisecond timestamps that never go back', async () => {
    const audit = trail();
    const before = Date.now();
    const results = [];
    for (const record of lifecycle('o-1')) results.push(await audit.append(record));
    const after = Date.now();

    expect(results.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const [index, result] of results.entries()) {
      expect(result.ts).toMatch(ISO_UTC_MS);
      expect(Date.parse(result.ts)).toBe(result.tsMs);
      expect(result.id.startsWith(`${result.tsMs}-`)).toBe(true);
      expect(result.duplicate).toBe(false);
      if (index > 0) expect(result.tsMs).toBeGreaterThanOrEqual((results[index - 1] as typeof result).tsMs);
    }
    // Redis' clock, on the same host as the tests: within a generous second of ours.
    expect(results[0]?.tsMs).toBeGreaterThan(before - 1_000);
    expect(results.at(-1)?.tsMs).toBeLessThan(after + 1_000);
  });

  it('reads back exactly what was appended, stamped, in order', async () => {
    const audit = trail();
    const records = lifecycle('o-2');
    const results = [];
    for (const record of records) results.push(await audit.append(record));

    const read = await audit.readRange();
    expect(read.map((entry) => entry.id)).toEqual(results.map((r) => r.id));
    for (const [index, entry] of read.entries()) {
      const { seq, ts, tsMs } = results[index] as (typeof results)[number];
      expect(entry.record).toEqual({ ...records[index], seq, ts, tsMs });
    }
  });

  it('historyOf gives one order its own records, in order, among other orders', async () => {
    const audit = trail();
    const a = lifecycle('A');
    const b = lifecycle('B.2024:1');
    for (let i = 0; i < a.length; i += 1) {
      await audit.append(a[i] as AuditRecordInput);
      await audit.append(b[i] as AuditRecordInput);
    }
    const historyA = await audit.historyOf('A');
    const historyB = await audit.historyOf('B.2024:1');
    expect(historyA.map((e) => e.record.kind)).toEqual(a.map((r) => r.kind));
    expect(historyB.map((e) => e.record.kind)).toEqual(b.map((r) => r.kind));
    expect(historyA.map((e) => e.record.seq)).toEqual([1, 3, 5, 7, 9, 11, 13]);
    expect(await audit.historyOf('never-seen')).toEqual([]);
    expect(await audit.readRange({ clientOrderId: 'B.2024:1', limit: 2 })).toEqual(historyB.slice(0, 2));
  });

  it('readRange: time bounds are inclusive, limit caps, afterId pages on', async () => {
    const audit = trail();
    const results = [];
    for (let i = 0; i < 12; i += 1) results.push(await audit.append(received(`r${i}`)));
    const ids = results.map((r) => r.id);

    const all = await audit.readRange();
    expect(all.map((e) => e.id)).toEqual(ids);

    const middle = results[5] as (typeof results)[number];
    const fromMiddle = await audit.readRange({ fromMs: middle.tsMs });
    expect(fromMiddle.map((e) => e.id)).toEqual(results.filter((r) => r.tsMs >= middle.tsMs).map((r) => r.id));
    const toMiddle = await audit.readRange({ toMs: middle.tsMs });
    expect(toMiddle.map((e) => e.id)).toEqual(results.filter((r) => r.tsMs <= middle.tsMs).map((r) => r.id));
    expect(await audit.readRange({ fromMs: middle.tsMs, toMs: middle.tsMs })).toEqual(
      all.filter((e) => e.record.tsMs === middle.tsMs),
    );

    const pages: string[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await audit.readRange({ limit: 5, ...(afterId ? { afterId } : {}) });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(5);
      pages.push(...page.map((e) => e.id));
      afterId = page.at(-1)?.id;
    }
    expect(pages).toEqual(ids);

    const last = results.at(-1) as (typeof results)[number];
    expect(await audit.readRange({ fromMs: last.tsMs + 1 })).toEqual([]);
    expect(await audit.readRange({ clientOrderId: 'r3', fromMs: last.tsMs + 1 })).toEqual([]);
    expect((await audit.readRange({ clientOrderId: 'r3' })).map((e) => e.id)).toEqual([ids[3]]);
  });

  it('a fill reported twice (same execId) is recorded once', async () => {
    const audit = trail();
    const fill: AuditRecordInput = { kind: 'filled', clientOrderId: 'f1', account: 'DU1', actor: 'ib', execId: 'x.1', quantity: 1, price: 100 };
    const first = await audit.append(fill);
    const again = await audit.append({ ...fill, actor: 'reconciler' });
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await audit.historyOf('f1')).toHaveLength(1);
    expect(await redis.xlen(audit.keys.stream)).toBe(1);
  });

  it('carries on from the stream if its counter is lost, never reusing a sequence number', async () => {
    const audit = trail();
    await audit.append(received('m1'));
    const second = await audit.append(received('m2'));
    await redis.del(audit.keys.meta);
    const third = await audit.append(received('m3'));
    expect(third.seq).toBe(3);
    expect(third.tsMs).toBeGreaterThanOrEqual(second.tsMs);
  });

  it('the canonical form has sorted keys at every depth and round-trips through storage', async () => {
    const audit = trail();
    await audit.append({
      kind: 'rejected', clientOrderId: 'c1', account: 'DU1', actor: 'orders', reason: 'limitPrice: required for orderType LMT',
      errors: ['limitPrice: required for orderType LMT'], details: { z: 1, a: { y: [2, { d: 1, c: 0 }], b: null } },
    });
    const [entry] = await audit.readRange();
    const canonical = canonicalSerialise(entry!.record);
    expect(canonical).toBe(
      `{"account":"DU1","actor":"orders","clientOrderId":"c1","details":{"a":{"b":null,"y":[2,{"c":0,"d":1}]},"z":1},` +
        `"errors":["limitPrice: required for orderType LMT"],"kind":"rejected","reason":"limitPrice: required for orderType LMT",` +
        `"seq":1,"ts":"${entry!.record.ts}","tsMs":${entry!.record.tsMs}}`,
    );
    expect(audit.canonicalSerialise(JSON.parse(canonical))).toBe(canonical);
  });
});
