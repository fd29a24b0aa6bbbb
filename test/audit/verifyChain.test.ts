import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditInputError, GENESIS_HASH, OrderAuditTrail, type VerifyProgress } from '../../src/audit/index.ts';
import { connectRedis, received, useTrails } from './auditFixture.ts';
import { readRaw, writeChain, writeCopy, type RawEntry } from './trailCopy.ts';

const { redis, trail } = useTrails();

async function trailOf(count: number): Promise<OrderAuditTrail> {
  const audit = trail();
  for (let n = 0; n < count; n += 1) await audit.append(received(`v${n}`, { details: { n, text: 'größe 😀' } }));
  return audit;
}

const fieldOf = (entry: RawEntry, name: string) => entry[1][entry[1].findIndex((field, index) => index % 2 === 0 && field.toString() === name) + 1]!.toString();

describe('hash chain layout', () => {
  it('each record carries the previous hash; hash = SHA-256("tradewire.audit.v1\\n" prevHash \\n seq \\n tsMs \\n body)', async () => {
    const audit = await trailOf(3);
    const entries = await readRaw(redis, audit.keys.stream);
    let prevHash = GENESIS_HASH;
    for (const entry of entries) {
      expect(fieldOf(entry, 'prevHash')).toBe(prevHash);
      const preimage = `tradewire.audit.v1\n${prevHash}\n${fieldOf(entry, 'seq')}\n${fieldOf(entry, 'tsMs')}\n${fieldOf(entry, 'body')}`;
      const expected = createHash('sha256').update(Buffer.from(preimage, 'utf8')).digest('hex');
      expect(fieldOf(entry, 'hash')).toBe(expected);
      prevHash = expected;
    }
    expect(await redis.hget(audit.keys.meta, 'lastHash')).toBe(prevHash);
    expect(await redis.hget(audit.keys.meta, 'seq')).toBe('3');
  });

  it('append and readRange return the chain fields; a duplicate fill returns the original ones', async () => {
    const audit = trail();
    const first = await audit.append(received('d1'));
    const fill = { kind: 'filled', clientOrderId: 'd1', account: 'DU1', actor: 'ib', execId: 'x1', quantity: 1, price: 5 } as const;
    const filled = await audit.append(fill);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(filled.prevHash).toBe(first.hash);
    expect(await audit.append(fill)).toEqual({ ...filled, duplicate: true });
    const [, entry] = await audit.readRange();
    expect(entry?.chain).toEqual({ prevHash: first.hash, hash: filled.hash });
  });

  it('concurrent writers on separate connections never fork the chain', async () => {
    const key = trail().keys.stream;
    const clients = [connectRedis(), connectRedis(), connectRedis()];
    try {
      const writers = clients.map((client) => new OrderAuditTrail(client, { key }));
      await Promise.all(Array.from({ length: 90 }, (_, n) => writers[n % 3]!.append(received(`c${n % 7}`, { details: { n } }))));
      const report = await writers[0]!.verify();
      expect(report.findings).toEqual([]);
      expect(report).toMatchObject({ ok: true, checked: 90, last: { seq: 90 }, head: { seq: 90 } });
    } finally {
      for (const client of clients) client.disconnect();
    }
  });
});

describe('verify names what was done to the trail', () => {
  it('a clean trail: ok, checked, head, anchored at the chain start, progress per page', async () => {
    const audit = await trailOf(7);
    const progress: VerifyProgress[] = [];
    const report = await audit.verify({ pageSize: 3, onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ ok: true, checked: 7, findingCount: 0, first: { seq: 1 }, last: { seq: 7 }, legacy: undefined });
    expect(report.anchoredBy).toContain('start of the chain');
    expect(report.head?.hash).toBe(report.last?.hash);
    expect(progress.map((p) => [p.checked, p.lastSeq])).toEqual([[3, 3], [6, 6], [7, 7]]);
  });

  it('a record whose body changed, and a record removed in the middle', async () => {
    const audit = await trailOf(5);
    const entries = await readRaw(redis, audit.keys.stream);
    const copy = trail();
    const [id, fields] = entries[1]!;
    const changed = fields.map((field, index) => (index > 0 && fields[index - 1]!.toString() === 'body' ? Buffer.from(field.toString().replace('"n":1', '"n":9')) : field));
    await writeCopy(redis, audit.keys.stream, copy.keys.stream, [entries[0]!, [id, changed], entries[2]!, entries[4]!]);
    const report = await copy.verify();
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.message)).toEqual([
      `seq 2 (stream id ${id.toString()}) was changed: its content does not hash to its stored hash`,
      'seq 4 is missing: removed from the trail',
    ]);
  });

  it('records swapped, a changed prevHash, a cut tail', async () => {
    const audit = await trailOf(6);
    const entries = await readRaw(redis, audit.keys.stream);
    const ids = entries.map((entry) => entry[0].toString());
    const copy = trail();
    // Contents of seq 2 and 3 trade places, seq 5 gets another record's prevHash, seq 6 is cut.
    const relinked: RawEntry = [entries[4]![0], entries[4]![1].map((field, index) => (index > 0 && entries[4]![1][index - 1]!.toString() === 'prevHash' ? Buffer.from(fieldOf(entries[1]!, 'hash')) : field))];
    await writeCopy(redis, audit.keys.stream, copy.keys.stream, [entries[0]!, [entries[1]![0], entries[2]![1]], [entries[2]![0], entries[1]![1]], entries[3]!, relinked]);
    const report = await copy.verify();
    const kinds = report.findings.map((f) => [f.kind, 'seq' in f ? f.seq : 'fromSeq' in f ? f.fromSeq : undefined]);
    expect(kinds).toContainEqual(['aheadOfOrder', 3]);
    expect(kinds).toContainEqual(['outOfOrder', 2]);
    expect(kinds).toContainEqual(['changed', 5]);
    expect(kinds).toContainEqual(['brokenLink', 5]);
    expect(kinds).toContainEqual(['truncated', 6]);
    expect(report.findings.find((f) => f.kind === 'outOfOrder')?.message).toBe(`seq 2 (from stream id ${ids[2]}) appears after seq 3 (stream id ${ids[1]}): records were reordered`);
    expect(report.findings.find((f) => f.kind === 'truncated')?.message).toBe('the trail ends early: seq 6 recorded in the head are gone from the end');
  });

  it('legacy records written before the chain are reported as unchained, and the chain starts after them', async () => {
    const audit = trail();
    // What the trail wrote before this change: seq, tsMs, body; meta without lastHash.
    for (const seq of [1, 2, 3]) await redis.xadd(audit.keys.stream, `${1_700_000_000_000 + seq}-0`, 'seq', String(seq), 'tsMs', String(1_700_000_000_000 + seq), 'body', '{"kind":"received"}');
    await redis.hset(audit.keys.meta, 'seq', '3', 'lastMs', String(1_700_000_000_003));
    const appended = await audit.append(received('after-legacy'));
    expect(appended).toMatchObject({ seq: 4, prevHash: GENESIS_HASH });
    await audit.append(received('after-legacy'));
    const report = await audit.verify();
    expect(report).toMatchObject({ ok: true, checked: 5, legacy: { fromSeq: 1, toSeq: 3, count: 3 }, last: { seq: 5 } });
    const [legacyRead] = await audit.readRange({ limit: 1 });
    expect(legacyRead?.chain).toBeUndefined();
  });

  it('a record without a hash inside the chain is named', async () => {
    const audit = await trailOf(2);
    await redis.xadd(audit.keys.stream, '*', 'seq', '3', 'tsMs', '1', 'body', '{}');
    const report = await audit.verify();
    expect(report.findings.map((f) => f.kind)).toContain('unchained');
    expect(report.findings.find((f) => f.kind === 'unchained')).toMatchObject({ seq: 3 });
  });

  it('bad options are refused with named fields', async () => {
    const audit = trail();
    await expect(audit.verify({ fromMs: 5, toMs: 1 })).rejects.toThrow(AuditInputError);
    await expect(audit.verify({ fromMs: -1 })).rejects.toThrow(/fromMs: must not be negative/);
    await expect(audit.verify({ pageSize: 0 })).rejects.toThrow(/pageSize: must be at least 1/);
  });
});

describe('verify --from/--to: a sub-range', () => {
  const T = 1_700_000_000_000;
  /** Records 1..5 at T+100, T+200, ... so a range can fall between them. */
  async function spacedTrail(): Promise<{ audit: OrderAuditTrail; entries: RawEntry[] }> {
    const audit = trail();
    await writeChain(redis, audit.keys.stream, [1, 2, 3, 4, 5].map((n) => T + n * 100));
    return { audit, entries: await readRaw(redis, audit.keys.stream) };
  }

  it('anchors on the record before the range and checks the one after links back', async () => {
    const { audit } = await spacedTrail();
    const report = await audit.verify({ fromMs: T + 150, toMs: T + 450 });
    expect(report).toMatchObject({ ok: true, checked: 3, first: { seq: 2 }, last: { seq: 4 } });
    expect(report.anchoredBy).toMatch(/^seq 1 \(stream id \d+-0\), just before the range, whose own hash checks out$/);
    expect(report.endedBy).toMatch(/^seq 5 \(stream id \d+-0\), just after the range/);
    expect(report.scope).toMatch(/Records further outside the range are not checked/);

    const toEnd = await audit.verify({ fromMs: T + 350 });
    expect(toEnd).toMatchObject({ ok: true, checked: 2, first: { seq: 4 } });
    expect(toEnd.endedBy).toMatch(/meta head \(seq 5\)/);
    expect(await audit.verify({ fromMs: T + 510 })).toMatchObject({ ok: true, checked: 0 });
  });

  it('a changed record just outside the range breaks its anchor; a changed record just after breaks its end', async () => {
    const { audit, entries } = await spacedTrail();
    const withBody = (entry: RawEntry, edit: (body: string) => string): RawEntry => [entry[0], entry[1].map((field, index) => (index > 0 && entry[1][index - 1]!.toString() === 'body' ? Buffer.from(edit(field.toString())) : field))];
    const copy = trail();
    await writeCopy(redis, audit.keys.stream, copy.keys.stream, [withBody(entries[0]!, (b) => b.replace('t1', 't9')), ...entries.slice(1, 4), withBody(entries[4]!, (b) => b.replace('t5', 't8'))]);
    const report = await copy.verify({ fromMs: T + 150, toMs: T + 450 });
    expect(report.ok).toBe(false);
    expect(report.anchoredBy).toMatch(/was itself changed/);
    expect(report.findings.map((f) => [f.kind, 'seq' in f ? f.seq : undefined])).toEqual([['changed', 1], ['changed', 5]]);
  });

  it('the first record of the range removed, and one inside it', async () => {
    const { audit, entries } = await spacedTrail();
    const copy = trail();
    await writeCopy(redis, audit.keys.stream, copy.keys.stream, [entries[0]!, entries[2]!, entries[4]!]);
    const report = await copy.verify({ fromMs: T + 150, toMs: T + 450 });
    expect(report.findings.map((f) => f.message)).toEqual(['seq 2 is missing: removed from the trail', 'seq 4 is missing: removed from the trail']);
  });
});
