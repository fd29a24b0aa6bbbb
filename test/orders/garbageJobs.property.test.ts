import fc from 'fast-check';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderService } from '../../src/orders/orderService.ts';
import { DeadLetterQueue } from '../../src/queues/index.ts';
import { orderWorld, waitForState, type Cleanup } from './orderWorld.ts';

/**
 * Whatever a producer puts on the `orders` queue, the running service survives it: every invalid
 * job ends in `orders:dead` with a reason that names the offending field, valid jobs in the same
 * batch are accepted (and market orders fill at the broker), and a valid order after the garbage
 * still fills. Payloads travel through BullMQ as JSON, so the oracle judges the JSON form.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// One world for the whole property: every run goes through the same running service.
const cleanups: Cleanup[] = [];
let w: Awaited<ReturnType<typeof orderWorld>>;
let dlq: DeadLetterQueue;
let service: OrderService;

beforeAll(async () => {
  w = await orderWorld(cleanups, { supervisorIntensity: 1_000 });
  dlq = new DeadLetterQueue('orders', { connection: w.redis, prefix: w.prefix });
  cleanups.push(() => dlq.close());
  ({ service } = await w.startService());
});

afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

// ---------------------------------------------------------------------------------------------
// Payloads and their expected verdicts

type Expect =
  /** Must be dead-lettered; the reason must match. */
  | { verdict: 'invalid'; reason: RegExp; why: string }
  /** Must complete as accepted; a market order must then fill its quantity at the broker. */
  | { verdict: 'accepted'; clientOrderId: string; quantity: number }
  /** A valid cancel for an order nobody placed: completes, changes nothing. */
  | { verdict: 'unknownOrder'; clientOrderId: string };

interface Case {
  /** What goes on the queue: already the JSON form, so `__proto__` keys are own data properties. */
  payload: unknown;
  expect: Expect;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How the service spells a path in a reason (`instrument.expiry`, `["a b"]`). */
const pathText = (segments: string[]) =>
  segments.map((seg, i) => (/^[A-Za-z_$][\w$]*$/.test(seg) ? (i === 0 ? seg : `.${seg}`) : `[${JSON.stringify(seg)}]`)).join('');
/** The reason names this path (or a field inside it); with a message, exactly `path: message`. */
const names = (segments: string[], message?: string) =>
  new RegExp(`(^|; |: )${escape(pathText(segments))}${message === undefined ? '(: |\\.|\\[)' : `: ${escape(message)}`}`);

/** JSON text with a key added as an own property (object spread would do the same, JSON makes it explicit). */
const withKey = (base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> =>
  JSON.parse(`${JSON.stringify(base).slice(0, -1)}${Object.keys(base).length > 0 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`);
const toWire = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
};

let serial = 0;
const nextId = (kind: string) => `garbage.${kind}.${(serial += 1)}`;

const SYMBOLS = ['ES', 'NQ'];
const baseOrder = (clientOrderId: string, quantity: number, side: 'BUY' | 'SELL', symbol: string): Record<string, unknown> => ({
  clientOrderId,
  account: 'DU1234567',
  instrument: { symbol, expiry: '202703' },
  side,
  quantity,
  orderType: 'MKT',
  strategy: 'garbage',
});

const orderSeed = fc.record({
  quantity: fc.integer({ min: 1, max: 3 }),
  side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
  symbol: fc.constantFrom(...SYMBOLS),
});

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf'];
const junk = fc.oneof(
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"}}')),
  fc.constant({ prototype: { polluted: 'yes' } }),
  fc.string({ maxLength: 8 }),
  fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown),
  fc.integer().map((n) => ({ nested: [[[{ n }]]] })),
);
const hugeString = fc.integer({ min: 65, max: 20_000 }).map((n) => 'Z'.repeat(n));
/** Numbers JSON cannot carry: they arrive as null. */
const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

/** Replacement values that can never be valid for the field, and the message the reason must carry. */
const badValues: Record<string, fc.Arbitrary<unknown>> = {
  clientOrderId: fc.oneof(fc.constant(''), hugeString, fc.constant('has space'), fc.constant('nul\u0000byte'), fc.integer(), fc.constant(null), fc.constant([]), fc.constant({}), nonFinite, fc.boolean()),
  account: fc.oneof(fc.constant(''), hugeString, fc.constant('DU 123'), fc.integer(), fc.constant(null), fc.constant({ id: 'DU1234567' }), nonFinite),
  strategy: fc.oneof(fc.constant(''), hugeString, fc.constant('a/b'), fc.double(), fc.constant(null), fc.constant(['carry'])),
  side: fc.oneof(fc.constantFrom('buy', 'HOLD', '__proto__', 'constructor', 'toString', ''), fc.integer(), fc.constant(null), hugeString, nonFinite),
  quantity: fc.oneof(
    fc.constantFrom(0, -1, 1.5, 1e7, Number.MAX_SAFE_INTEGER),
    nonFinite,
    fc.integer({ max: 0 }),
    fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    fc.constantFrom('2', null, true, [], {}),
  ),
  orderType: fc.oneof(fc.constantFrom('MARKET', 'mkt', 'toString', '__proto__', 'constructor', ''), fc.integer(), fc.constant(null), hugeString),
  timeInForce: fc.oneof(fc.constantFrom('FOK', 'valueOf', 'day', ''), fc.integer(), fc.constant(null)),
  limitPrice: fc.oneof(fc.constant(5000), nonFinite.map(() => 'x'), fc.constantFrom('5000', null, [], {})),
  stopPrice: fc.oneof(fc.constant(4990), fc.constantFrom('4990', null, true)),
  deadline: fc.oneof(fc.constantFrom('tomorrow', '2024-03-15T20:00:00', '2024-13-01T00:00:00Z', ''), fc.integer(), fc.constant(null), hugeString),
  riskReducing: fc.oneof(fc.constantFrom('yes', 'true', 1, 0, null), fc.constant({})),
  type: fc.oneof(fc.constantFrom('NEW', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'create', ''), fc.integer(), fc.constant(null), fc.constant({})),
  algorithm: fc.oneof(
    fc.constantFrom(null, 'twap', [], {}),
    fc.constant({ kind: 'constructor' }),
    fc.constant({ kind: '__proto__' }),
    fc.constant({ kind: 'twap', slices: 1_000, durationMs: 1 }),
    fc.constant({ kind: 'limit' }),
    fc.constant({ kind: 'market', junk: 1 }),
  ),
};

/** A valid market order with one field replaced by a value that can never be valid for it. */
const replacedField = fc.tuple(orderSeed, fc.constantFrom(...Object.keys(badValues))).chain(([seed, field]) =>
  badValues[field]!.map((value): Case => {
    const base = baseOrder(nextId('replaced'), seed.quantity, seed.side, seed.symbol);
    const payload = toWire({ ...base, [field]: value }) as Record<string, unknown>;
    // `type: 'NEW'` etc. fail on type; everything else names the field it broke.
    return { payload, expect: { verdict: 'invalid', reason: names([field]), why: `${field} = ${JSON.stringify(value)?.slice(0, 60)}` } };
  }),
);

const REQUIRED = ['clientOrderId', 'account', 'instrument', 'side', 'quantity', 'orderType', 'strategy'];
const droppedField = fc.tuple(orderSeed, fc.constantFrom(...REQUIRED)).map(([seed, field]): Case => {
  const { [field]: _dropped, ...payload } = baseOrder(nextId('dropped'), seed.quantity, seed.side, seed.symbol);
  return { payload, expect: { verdict: 'invalid', reason: names([field], 'required'), why: `without ${field}` } };
});

/** LMT without its price, STP LMT without its stop. */
const missingPrice = orderSeed.chain((seed) =>
  fc.constantFrom(
    { orderType: 'LMT', missing: 'limitPrice', extra: {} },
    { orderType: 'STP LMT', missing: 'stopPrice', extra: { limitPrice: 100 } },
    { orderType: 'STP', missing: 'stopPrice', extra: {} },
  ).map(({ orderType, missing, extra }): Case => ({
    payload: { ...baseOrder(nextId('noprice'), seed.quantity, seed.side, seed.symbol), orderType, ...extra },
    expect: { verdict: 'invalid', reason: names([missing], `required for orderType ${orderType}`), why: `${orderType} without ${missing}` },
  })),
);

const instrumentJunk = fc.tuple(orderSeed, fc.constantFrom<[unknown, string[]]>(
  [null, ['instrument']],
  ['ES', ['instrument']],
  [[], ['instrument']],
  [{}, ['instrument']],
  [{ expiry: '202703' }, ['instrument', 'symbol']],
  [{ symbol: 'ES', expiry: '202713' }, ['instrument', 'expiry']],
  [{ symbol: 'ES', expiry: '20240230' }, ['instrument', 'expiry']],
  [{ symbol: 'es', expiry: '202703' }, ['instrument', 'symbol']],
  [{ symbol: 'X'.repeat(100_000), expiry: '202703' }, ['instrument', 'symbol']],
  [{ conId: -1 }, ['instrument', 'conId']],
  [{ conId: 2 ** 40 }, ['instrument', 'conId']],
  [{ conId: 1.5 }, ['instrument', 'conId']],
  [{ symbol: 'ES', expiry: '202703', conId: 1 }, ['instrument']],
  [JSON.parse('{"__proto__":{"conId":5}}'), ['instrument']],
  [{ constructor: { prototype: { symbol: 'ES' } } }, ['instrument']],
)).map(([seed, [instrument, path]]): Case => ({
  payload: { ...baseOrder(nextId('instrument'), seed.quantity, seed.side, seed.symbol), instrument },
  expect: { verdict: 'invalid', reason: names(path), why: `instrument = ${JSON.stringify(instrument).slice(0, 60)}` },
}));

/** Unknown keys, prototype-pollution ones included, at the root or inside the instrument. */
const extraKey = fc.tuple(orderSeed, fc.oneof(fc.constantFrom(...POLLUTING_KEYS), fc.constantFrom('junk', 'a b', '', 'instrument.symbol', 'limit_price')), junk, fc.boolean()).map(
  ([seed, key, value, nested]): Case => {
    const base = baseOrder(nextId('extra'), seed.quantity, seed.side, seed.symbol);
    if (nested) {
      const instrument = withKey(base.instrument as Record<string, unknown>, key, value);
      return { payload: { ...base, instrument }, expect: { verdict: 'invalid', reason: names(['instrument', key], 'unknown field'), why: `instrument.${key}` } };
    }
    return { payload: withKey(base, key, value), expect: { verdict: 'invalid', reason: names([key], 'unknown field'), why: `extra key ${key}` } };
  },
);

/** Cancels and modifies gone wrong. */
const badCancel = fc.oneof(
  fc.constant<Case>({ payload: { type: 'cancel' }, expect: { verdict: 'invalid', reason: names(['clientOrderId'], 'required'), why: 'cancel without id' } }),
  hugeString.map((id): Case => ({ payload: { type: 'cancel', clientOrderId: id }, expect: { verdict: 'invalid', reason: names(['clientOrderId']), why: 'cancel with huge id' } })),
  fc.constantFrom(...POLLUTING_KEYS, 'quantity').map((key): Case => ({
    payload: withKey({ type: 'cancel', clientOrderId: 'x1' }, key, { polluted: 'yes' }),
    expect: { verdict: 'invalid', reason: names([key], 'unknown field'), why: `cancel with ${key}` },
  })),
  fc.constant<Case>({ payload: { type: 'modify', clientOrderId: 'x1' }, expect: { verdict: 'invalid', reason: /a modify needs at least one of quantity, limitPrice, stopPrice/, why: 'empty modify' } }),
  // Valid, but for an order nobody here has: acknowledged as unknown, changes nothing.
  fc.constant<Case>({ payload: { type: 'modify', clientOrderId: 'garbage.nobody.modify', limitPrice: 5000 }, expect: { verdict: 'unknownOrder', clientOrderId: 'garbage.nobody.modify' } }),
);

/**
 * Arbitrary values. Without a clientOrderId no job of any type is valid, and the keys offered
 * never include it, so every one of these is invalid; the reason must name the root for
 * non-objects, and for objects a missing required field, the type, or a key it was given.
 */
const anythingCase = fc
  .anything({
    key: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...POLLUTING_KEYS, 'type', 'quantity', 'instrument', 'side')),
    maxDepth: 3,
    maxKeys: 5,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withObjectString: true,
  })
  .map((value): Case => {
    const wire = toWire(value);
    if (wire === undefined) {
      // BullMQ stores undefined data as `{}`, so the job arrives as an empty object.
      return { payload: value, expect: { verdict: 'invalid', reason: /^invalid payload: (\(root\)|clientOrderId): /, why: 'undefined (arrives as {})' } };
    }
    if (wire === null || typeof wire !== 'object' || Array.isArray(wire)) {
      return { payload: value, expect: { verdict: 'invalid', reason: /^invalid payload: \(root\): /, why: `non-object ${JSON.stringify(wire)?.slice(0, 60)}` } };
    }
    const keys = Object.keys(wire).map((k) => escape(pathText([k])));
    const reason = new RegExp(`(^|; |: )(${[...keys, 'clientOrderId', 'type'].join('|')}): `);
    return { payload: wire, expect: { verdict: 'invalid', reason, why: `object ${JSON.stringify(wire).slice(0, 80)}` } };
  });

/** Valid orders in varied spellings: optional fields omitted or given. */
const validOrder = fc.tuple(orderSeed, fc.boolean(), fc.constantFrom(undefined, 'DAY', 'GTC'), fc.constantFrom(undefined, true, false)).map(
  ([seed, typed, timeInForce, riskReducing]): Case => {
    const clientOrderId = nextId('valid');
    const payload = {
      ...(typed ? { type: 'new' } : {}),
      ...baseOrder(clientOrderId, seed.quantity, seed.side, seed.symbol),
      ...(timeInForce ? { timeInForce } : {}),
      ...(riskReducing !== undefined ? { riskReducing } : {}),
    };
    return { payload, expect: { verdict: 'accepted', clientOrderId, quantity: seed.quantity } };
  },
);
const validCancel = fc.constant(null).map((): Case => {
  const clientOrderId = nextId('nobody');
  return { payload: { type: 'cancel', clientOrderId }, expect: { verdict: 'unknownOrder', clientOrderId } };
});

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { arbitrary: anythingCase, weight: 4 },
  { arbitrary: replacedField, weight: 5 },
  { arbitrary: droppedField, weight: 2 },
  { arbitrary: missingPrice, weight: 1 },
  { arbitrary: instrumentJunk, weight: 2 },
  { arbitrary: extraKey, weight: 3 },
  { arbitrary: badCancel, weight: 1 },
  { arbitrary: validOrder, weight: 2 },
  { arbitrary: validCancel, weight: 1 },
);

// ---------------------------------------------------------------------------------------------

type Outcome = { kind: 'completed'; value: unknown } | { kind: 'dead'; reason: string; payload: unknown } | { kind: 'other'; state: string };

async function outcomeOf(jobId: string): Promise<Outcome | undefined> {
  const dead = await dlq.get(jobId);
  if (dead) return { kind: 'dead', reason: dead.reason, payload: dead.payload };
  const job = await w.queue.getJob(jobId);
  if (!job) return undefined; // moved out of the failed set by the dead-lettering: read the DLQ again next round
  const state = await job.getState();
  // The job was read before its state: it may have completed in between, so read it again.
  if (state === 'completed') return { kind: 'completed', value: (await w.queue.getJob(jobId))?.returnvalue };
  if (state === 'failed') return { kind: 'other', state: `failed (${job.failedReason})` };
  return undefined;
}

async function settle(jobs: Job[], timeoutMs: number): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  const deadline = Date.now() + timeoutMs;
  while (outcomes.size < jobs.length && Date.now() < deadline) {
    for (const job of jobs) {
      if (outcomes.has(job.id!)) continue;
      const outcome = await outcomeOf(job.id!);
      if (outcome && !(outcome.kind === 'other' && Date.now() < deadline - 1_000)) outcomes.set(job.id!, outcome);
    }
    if (outcomes.size < jobs.length) await sleep(25);
  }
  return outcomes;
}

async function expectFills(clientOrderId: string, quantity: number) {
  await waitForState(service, clientOrderId, ['filled'], 20_000);
  const stored = await service.store.load(clientOrderId);
  expect(stored?.state, `${clientOrderId} state (reason: ${stored?.context?.rejectReason ?? 'none'})`).toBe('filled');
  expect(w.sim.ledger.byOrderRef(clientOrderId).reduce((n, e) => n + e.qty, 0), `${clientOrderId} executed at the broker`).toBe(quantity);
}

describe('garbage on the orders queue (fast-check, real BullMQ, Redis and simulator)', () => {
  it('every invalid job is dead-lettered naming what is wrong; valid ones are accepted; the service keeps filling', async () => {
    const protoKeysBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: 30, maxLength: 30 }), async (cases) => {
        runs += 1;
        const jobs: Job[] = [];
        for (const c of cases) jobs.push(await w.queue.add('garbage', c.payload as never));
        const outcomes = await settle(jobs, 30_000);

        const problems: string[] = [];
        cases.forEach((c, i) => {
          const job = jobs[i]!;
          const outcome = outcomes.get(job.id!);
          const label = `job ${job.id} (${c.expect.verdict === 'invalid' ? c.expect.why : c.expect.clientOrderId})`;
          if (!outcome) return problems.push(`${label}: neither completed nor dead-lettered in 15 s`);
          if (c.expect.verdict === 'invalid') {
            if (outcome.kind !== 'dead') return problems.push(`${label}: expected orders:dead, got ${JSON.stringify(outcome)}`);
            if (!/^invalid payload: /.test(outcome.reason) || !c.expect.reason.test(outcome.reason)) {
              return problems.push(`${label}: reason ${JSON.stringify(outcome.reason.slice(0, 300))} does not match ${c.expect.reason}`);
            }
          } else {
            const want = c.expect.verdict === 'accepted' ? 'accepted' : 'unknownOrder';
            if (outcome.kind !== 'completed') return problems.push(`${label}: valid job not accepted: ${JSON.stringify(outcome).slice(0, 300)}`);
            expect(outcome.value).toEqual({ outcome: want, clientOrderId: c.expect.clientOrderId });
          }
          return undefined;
        });
        expect(problems).toEqual([]);

        // The valid market orders in the batch really trade, each exactly once.
        for (const c of cases) if (c.expect.verdict === 'accepted') await expectFills(c.expect.clientOrderId, c.expect.quantity);

        // Nothing leaked onto Object.prototype from `__proto__` / `constructor` payloads.
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeysBefore);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();

        // The service is still alive and trading after the garbage.
        const after = nextId('after');
        const job = await w.queue.add('order', baseOrder(after, 1, 'BUY', 'ES'));
        await expectFills(after, 1);
        expect((await w.queue.getJob(job.id!))?.returnvalue).toEqual({ outcome: 'accepted', clientOrderId: after });
      }),
      { numRuns: 3, endOnFailure: true },
    );
    expect(runs).toBe(3);
    // Every invalid job of every run is in orders:dead (nothing else went there).
    expect(await dlq.count()).toBeGreaterThan(0);
  }, 120_000);
});
