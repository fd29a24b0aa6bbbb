import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Fence, FencedError } from '../../src/lease/fence.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { FillStream, type FillStreamExecution, type FillStreamRetention } from '../../src/orders/fillStream.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

const redis = new Redis(REDIS_URL);
const namespaces: string[] = [];
afterEach(async () => {
  for (const ns of namespaces.splice(0)) {
    const keys = await redis.keys(`${ns}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
});
afterAll(() => redis.disconnect());

function fillStream(retention: Partial<FillStreamRetention> = {}, fence?: Fence) {
  const ns = `test-fillstream-${Math.random().toString(36).slice(2)}`;
  namespaces.push(ns);
  const keys = namespaceKeys(ns);
  const stream = new FillStream(redis, {
    key: keys.fillStream,
    markerKey: keys.fillStreamMarker,
    maxLen: retention.maxLen ?? 100_000,
    dedupeWindowMs: retention.dedupeWindowMs ?? 60_000,
    logger: createSilentLogger(),
    ...(fence ? { fence } : {}),
  });
  return { stream, keys };
}

const execution = (execId: string, extra: Partial<FillStreamExecution> = {}): FillStreamExecution => ({
  execId,
  clientOrderId: 'c-1',
  account: 'DU1234567',
  symbol: 'ES',
  contractMonth: '202703',
  side: 'BUY',
  price: 5000.25,
  quantity: 1,
  time: '2026-12-07T15:00:00.000Z',
  ...extra,
});

/** The stream's entries as objects (field -> value). */
async function entries(key: string): Promise<Record<string, string>[]> {
  const raw = await redis.xrange(key, '-', '+');
  return raw.map(([, fields]) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]])));
}

/** Everything a consumer of `group` reads, new entries only (`>`), acknowledged as it goes. */
async function readAll(key: string, group: string, consumer: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'STREAMS', key, '>')) as [string, [string, string[]][]][] | null;
    const batch = reply?.[0]?.[1] ?? [];
    if (batch.length === 0) return seen;
    for (const [id, fields] of batch) {
      seen.push(fields[fields.indexOf('execId') + 1]!);
      await redis.xack(key, group, id);
    }
  }
}

describe('fills stream (real Redis)', () => {
  it('carries each execution with its own price, quantity, time, ids, account, symbol, month, side and commission when known', async () => {
    const { stream, keys } = fillStream();
    await stream.appendExecutions([execution('e-1', { commission: 2.25, parentClientOrderId: 'p-1' }), execution('e-2', { price: 5000.5, quantity: 2 })]);
    expect(await entries(keys.fillStream)).toEqual([
      { type: 'fill', clientOrderId: 'c-1', account: 'DU1234567', symbol: 'ES', contractMonth: '202703', side: 'BUY', execId: 'e-1', price: '5000.25', quantity: '1', time: '2026-12-07T15:00:00.000Z', commission: '2.25', parentClientOrderId: 'p-1' },
      { type: 'fill', clientOrderId: 'c-1', account: 'DU1234567', symbol: 'ES', contractMonth: '202703', side: 'BUY', execId: 'e-2', price: '5000.5', quantity: '2', time: '2026-12-07T15:00:00.000Z' },
    ]);
    expect(keys.fillStream).toBe(`${keys.namespace}:stream:fills`);
  });

  it('two consumer groups each read every fill (a stream, not a work queue)', async () => {
    const { stream, keys } = fillStream();
    await redis.xgroup('CREATE', keys.fillStream, 'strategy', '0', 'MKSTREAM');
    await redis.xgroup('CREATE', keys.fillStream, 'risk', '0', 'MKSTREAM');
    const ids = Array.from({ length: 25 }, (_, i) => `e-${i}`);
    await stream.appendExecutions(ids.map((id) => execution(id)));
    // Two consumers in one group split it; each group as a whole sees all of it.
    const [a, b] = await Promise.all([readAll(keys.fillStream, 'strategy', 'a'), readAll(keys.fillStream, 'strategy', 'b')]);
    expect([...a, ...b].sort()).toEqual([...ids].sort());
    expect(await readAll(keys.fillStream, 'risk', 'r')).toEqual(ids);
  });

  it('a fill published again (replay, redelivery, another process) appears once (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 30 }), async (publications) => {
        const { stream, keys } = fillStream();
        const twin = new FillStream(redis, { key: keys.fillStream, markerKey: keys.fillStreamMarker, maxLen: 1_000, dedupeWindowMs: 60_000, logger: createSilentLogger() });
        const appended = await Promise.all(publications.map((n, i) => (i % 2 === 0 ? stream : twin).appendExecutions([execution(`e-${n}`)])));
        const written = (await entries(keys.fillStream)).map((e) => e.execId);
        expect(written.sort()).toEqual([...new Set(publications)].map((n) => `e-${n}`).sort());
        expect(appended.flat().filter(Boolean)).toHaveLength(new Set(publications).size);
      }),
      { numRuns: 20 },
    );
  });

  it('a late commission is its own entry, once; a commission its fill carried gets none', async () => {
    const { stream, keys } = fillStream();
    await stream.appendExecutions([execution('e-1', { commission: 2.25 }), execution('e-2')]);
    expect(await stream.appendCommission({ execId: 'e-1', commission: 2.25, time: 't' })).toBe(false);
    expect(await stream.appendCommission({ execId: 'e-2', clientOrderId: 'c-1', commission: 2.25, time: 't' })).toBe(true);
    expect(await stream.appendCommission({ execId: 'e-2', clientOrderId: 'c-1', commission: 2.25, time: 't' })).toBe(false);
    const all = await entries(keys.fillStream);
    expect(all.map((e) => [e.type, e.execId])).toEqual([['fill', 'e-1'], ['fill', 'e-2'], ['commission', 'e-2']]);
    expect(all[2]).toEqual({ type: 'commission', execId: 'e-2', clientOrderId: 'c-1', commission: '2.25', time: 't' });
    // The marker expires with the dedupe window.
    const ttl = await redis.pttl(keys.fillStreamMarker('e-2'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('a commission that came before its fill: the fill entry leaves it out, so it is in the stream once', async () => {
    const { stream, keys } = fillStream();
    expect(await stream.appendCommission({ execId: 'e-1', commission: 2.25, time: 't' })).toBe(true);
    await stream.appendExecutions([execution('e-1', { commission: 2.25 })]);
    const all = await entries(keys.fillStream);
    expect(all.map((e) => [e.type, e.execId, e.commission])).toEqual([['commission', 'e-1', '2.25'], ['fill', 'e-1', undefined]]);
  });

  it('retention: the stream is trimmed to about maxLen', async () => {
    const { stream, keys } = fillStream({ maxLen: 10 });
    for (let i = 0; i < 300; i += 1) await stream.appendExecutions([execution(`e-${i}`)]);
    const length = await redis.xlen(keys.fillStream);
    // `MAXLEN ~` trims whole radix-tree nodes (100 entries by default): near 10, far below 300.
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(200);
    const last = await redis.xrevrange(keys.fillStream, '+', '-', 'COUNT', 1);
    expect(last[0]![1]).toContain('e-299');
  });

  it('a node that lost the lease appends nothing and hears it is fenced', async () => {
    const ns = `test-fillstream-${Math.random().toString(36).slice(2)}`;
    namespaces.push(ns);
    const keys = namespaceKeys(ns);
    const fence = new Fence(keys.fence);
    fence.hold(3, Number.POSITIVE_INFINITY);
    const heard: string[] = [];
    fence.onFenced((reason) => heard.push(reason));
    const stream = new FillStream(redis, { key: keys.fillStream, markerKey: keys.fillStreamMarker, maxLen: 100, dedupeWindowMs: 60_000, fence, logger: createSilentLogger() });
    await redis.set(keys.fence, '3');
    expect(await stream.appendExecutions([execution('e-1')])).toEqual([true]);
    await redis.set(keys.fence, '4');
    await expect(stream.appendExecutions([execution('e-2')])).rejects.toBeInstanceOf(FencedError);
    await expect(stream.appendCommission({ execId: 'e-1', commission: 1, time: 't' })).rejects.toBeInstanceOf(FencedError);
    expect((await entries(keys.fillStream)).map((e) => e.execId)).toEqual(['e-1']);
    expect(heard).toHaveLength(2);
  });
});
