import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import { connectRedis, deleteTrail, freshTrail, received } from './auditFixture.ts';

const CLIENTS = 3;
const redis = connectRedis();
const clients = Array.from({ length: CLIENTS }, () => connectRedis());
afterAll(() => {
  redis.disconnect();
  for (const client of clients) client.disconnect();
});

/** Each client is its own connection, as separate processes would be. */
const trailsFor = (key: string) => clients.map((client) => new OrderAuditTrail(client, { key }));

describe('concurrent appends from several clients (real Redis)', () => {
  it('random interleavings: every order history is exactly its appends, in order; seqs are 1..N', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }), async (orderOfEachAppend) => {
        const audit = freshTrail(redis);
        const trails = trailsFor(audit.keys.stream);
        // An order's events come from one actor, so one client appends them one after another,
        // while the clients race each other.
        const perClient = trails.map((clientTrail, clientIndex) =>
          (async () => {
            for (const [n, order] of orderOfEachAppend.entries()) {
              if (order % CLIENTS !== clientIndex) continue;
              await clientTrail.append(received(`order-${order}`, { details: { n } }));
            }
          })(),
        );
        await Promise.all(perClient);

        for (let order = 0; order <= 5; order += 1) {
          const expected = [...orderOfEachAppend.entries()].filter(([, o]) => o === order).map(([n]) => n);
          const history = await audit.historyOf(`order-${order}`);
          expect(history.map((entry) => entry.record.details?.n)).toEqual(expected);
        }
        const all = await audit.readRange({ limit: 10_000 });
        expect(all.map((entry) => entry.record.seq)).toEqual(orderOfEachAppend.map((_, index) => index + 1));
        const times = all.map((entry) => entry.record.tsMs);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        await deleteTrail(redis, audit);
      }),
      { numRuns: 40 },
    );
  });

  it('hundreds of appends fired at once for one order: none lost, none doubled', async () => {
    const audit = freshTrail(redis);
    const trails = trailsFor(audit.keys.stream);
    const count = 300;
    const results = await Promise.all(
      Array.from({ length: count }, (_, n) => (trails[n % CLIENTS] as OrderAuditTrail).append(received('hot', { details: { n } }))),
    );
    expect(new Set(results.map((r) => r.seq)).size).toBe(count);
    expect(new Set(results.map((r) => r.id)).size).toBe(count);
    const history = await audit.historyOf('hot');
    expect(history.map((e) => e.record.details?.n).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: count }, (_, n) => n),
    );
    expect(history.map((e) => e.record.seq)).toEqual(Array.from({ length: count }, (_, n) => n + 1));
    expect(await redis.xlen(audit.keys.stream)).toBe(count);
    await deleteTrail(redis, audit);
  });

  it('the same fill reported by several clients at once is recorded once', async () => {
    const audit = freshTrail(redis);
    const trails = trailsFor(audit.keys.stream);
    const fill = { kind: 'filled', clientOrderId: 'dup', account: 'DU1', actor: 'ib', execId: 'e-1', quantity: 1, price: 10 } as const;
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => (trails[n % CLIENTS] as OrderAuditTrail).append(fill)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await audit.historyOf('dup')).toHaveLength(1);
    await deleteTrail(redis, audit);
  });
});
