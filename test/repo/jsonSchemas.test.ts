import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles, SCHEMAS_DIR } from '../../scripts/schemas.ts';
import { streamEntryFields, streamExecution } from '../../src/orders/fillStream.ts';
import { ORDER_TYPES, parseOrderJob } from '../../src/orders/schema/index.ts';
import { fillStreamCommissionSchema, fillStreamExecutionSchema } from '../../src/orders/schema/fillMessages.ts';
import { orderStateMessageSchema, WRITTEN_ORDER_STATES } from '../../src/orders/schema/orderStateMessage.ts';
import { validJobs } from '../orders/schema/orderJobFixtures.ts';

// ajv is not a dependency of ours: it is fastify's, resolved from node_modules for this test only.
const require = createRequire(import.meta.url);
type Validate = ((data: unknown) => boolean) & { errors?: unknown };
const Ajv2020 = require('ajv/dist/2020.js') as new (options: object) => { compile(schema: object): Validate };
const addFormats = require('ajv-formats') as (ajv: object) => void;

const generated = jsonSchemaFiles();

function validator(file: string): Validate {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(generated.get(file)!) as object);
}

describe('schemas/*.json', () => {
  it('are what `npm run schemas` writes from the zod schemas today', () => {
    const committed = readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith('.json'));
    const stale = committed.filter((name) => !generated.has(name));
    expect(stale, `schemas/ holds files the code no longer generates: ${stale.join(', ')}; run \`npm run schemas\` and delete them`).toEqual([]);
    for (const [file, text] of generated) {
      let onDisk: string | undefined;
      try {
        onDisk = readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8');
      } catch {
        onDisk = undefined;
      }
      expect(onDisk, `schemas/${file} differs from the zod schemas it is generated from: run \`npm run schemas\` and commit it`).toBe(text);
    }
  });

  it('show the instrument as its two shapes, not as anything, in a new order and in any order job', () => {
    type Instrument = { anyOf?: { required: string[] }[] };
    const instrument = (JSON.parse(generated.get('new-order-job.json')!) as { properties: { instrument: Instrument } }).properties.instrument;
    expect(instrument.anyOf?.map((shape) => shape.required)).toEqual([['symbol'], ['conId']]);
    const jobs = (JSON.parse(generated.get('order-job.json')!) as { oneOf: { properties: { type: { const: string }; instrument?: Instrument } }[] }).oneOf;
    const newJob = jobs.find((job) => job.properties.type.const === 'new');
    expect(newJob?.properties.instrument?.anyOf?.map((shape) => shape.required)).toEqual([['symbol'], ['conId']]);
  });
});

/** Jobs as they travel: BullMQ stores a job's data as JSON. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

const price = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
const quantity = fc.integer({ min: 1, max: 1_000_000 });
const clientOrderId = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/);
const instrument = fc.oneof(
  fc.record(
    {
      symbol: fc.stringMatching(/^[A-Z0-9][A-Z0-9.]{0,15}$/),
      expiry: fc.date({ min: new Date('1990-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).chain((date) => {
        const day = date.toISOString().slice(0, 10).replaceAll('-', '');
        return fc.constantFrom(day, day.slice(0, 6));
      }),
    },
    { requiredKeys: ['symbol'] },
  ),
  fc.record({ conId: fc.integer({ min: 1, max: 2_147_483_647 }) }),
);

const newOrder = fc
  .record({
    orderType: fc.constantFrom(...ORDER_TYPES),
    quantity,
    limitPrice: price,
    stopPrice: price,
    algorithm: fc.oneof(
      fc.constant(undefined),
      fc.constant({ kind: 'market' }),
      fc.constant({ kind: 'limit' }),
      fc
        .record({ repriceEveryMs: fc.integer({ min: 250, max: 60_000 }), deadlineMs: fc.integer({ min: 60_000, max: 86_400_000 }), atDeadline: fc.constantFrom('cross', 'cancel') })
        .map((a) => ({ kind: 'limitChase', ...a })),
      fc.integer({ min: 2, max: 500 }).chain((slices) => fc.integer({ min: slices * 1_000, max: 86_400_000 }).map((durationMs) => ({ kind: 'twap', slices, durationMs }))),
    ),
    rest: fc.record(
      {
        type: fc.constant('new'),
        clientOrderId,
        account: fc.stringMatching(/^[A-Za-z0-9._-]{1,32}$/),
        instrument,
        side: fc.constantFrom('BUY', 'SELL'),
        timeInForce: fc.constantFrom('DAY', 'GTC', 'IOC'),
        strategy: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/),
        deadline: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
        riskReducing: fc.boolean(),
      },
      { requiredKeys: ['clientOrderId', 'account', 'instrument', 'side', 'strategy'] },
    ),
  })
  .map(({ orderType, quantity, limitPrice, stopPrice, algorithm, rest }) => {
    const kinds: Record<string, string[]> = { MKT: ['market', 'twap'], LMT: ['limit', 'limitChase', 'twap'], STP: [], 'STP LMT': [] };
    const fits = algorithm !== undefined && kinds[orderType]!.includes(algorithm.kind) && (!('slices' in algorithm) || algorithm.slices <= quantity);
    return {
      ...rest,
      orderType,
      quantity,
      ...(orderType === 'LMT' || orderType === 'STP LMT' ? { limitPrice } : {}),
      ...(orderType === 'STP' || orderType === 'STP LMT' ? { stopPrice } : {}),
      ...(fits ? { algorithm } : {}),
    };
  });

const cancel = fc.record({ type: fc.constant('cancel'), clientOrderId });
const modify = fc
  .record({ quantity, limitPrice: price, stopPrice: price }, { requiredKeys: [] })
  .filter((terms) => Object.keys(terms).length > 0)
  .chain((terms) => clientOrderId.map((id) => ({ type: 'modify', clientOrderId: id, ...terms })));

describe('a producer validating against schemas/order-job.json', () => {
  const orderJob = validator('order-job.json');

  it('accepts every job the runtime accepts', () => {
    fc.assert(
      fc.property(fc.oneof(newOrder, cancel, modify), (job) => {
        const data = asJson(job);
        const parsed = parseOrderJob(data);
        expect(parsed.ok ? [] : parsed.errors).toEqual([]);
        expect(orderJob(data), JSON.stringify(orderJob.errors)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never passes a job the runtime would refuse for its shape: a job the schema refuses, the runtime refuses too', () => {
    const mutated = fc
      .record({
        base: fc.constantFrom(...Object.values(validJobs)),
        key: fc.constantFrom('type', 'clientOrderId', 'account', 'instrument', 'side', 'quantity', 'orderType', 'limitPrice', 'stopPrice', 'timeInForce', 'algorithm', 'strategy', 'deadline', 'riskReducing', 'extra'),
        nestedKey: fc.option(fc.constantFrom('symbol', 'expiry', 'conId', 'kind', 'slices', 'durationMs', 'extra'), { nil: undefined }),
        value: fc.oneof(fc.jsonValue(), fc.constantFrom('LMT', 'MKT', 'BUY', 'cancel', 'modify', 'new', '202613', '202406', 0, 1, -1, 1.5, 2 ** 31)),
      })
      .map(({ base, key, nestedKey, value }) => {
        const job: Record<string, unknown> = structuredClone(base);
        const nested = job[key];
        job[key] = nestedKey !== undefined && typeof nested === 'object' && nested !== null ? { ...nested, [nestedKey]: value } : value;
        return asJson(job);
      });
    fc.assert(
      fc.property(mutated, (data) => {
        if (!orderJob(data)) expect(parseOrderJob(data).ok).toBe(false);
        if (parseOrderJob(data).ok) expect(orderJob(data), JSON.stringify(orderJob.errors)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('schemas/fill-job.json and commission-job.json', () => {
  it('accept what the fills queue carries', () => {
    const fill = {
      clientOrderId: 'carry.ES.1',
      account: 'DU1234567',
      symbol: 'ES',
      expiry: '202406',
      executions: [{ execId: '0000e0d5.6571b2c4.01.01', quantity: 2 }],
      side: 'BUY',
      quantity: 2,
      filledQuantity: 2,
      averagePrice: 5210.25,
      at: '2024-03-15T14:30:00.123Z',
      commission: 4.24,
      commissionsPending: 0,
    };
    expect(validator('fill-job.json')(fill)).toBe(true);
    expect(validator('fill-job.json')({ ...fill, averagePrice: null, republished: true })).toBe(true);
    expect(validator('fill-job.json')({ ...fill, side: 'buy' })).toBe(false);
    const commission = { clientOrderId: 'twap-1:t3', parentClientOrderId: 'twap-1', execId: '0000e0d5.6571b2c4.01.01', commission: -0.5, at: '2024-03-15T14:30:01Z' };
    expect(validator('commission-job.json')(commission)).toBe(true);
    expect(validator('commission-job.json')({ ...commission, commission: '1' })).toBe(false);
  });
});

const timestamp = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
const execId = fc.stringMatching(/^[0-9a-f]{8}\.[0-9a-f]{8}\.0[1-9]\.0[1-9]$/);
const childOrderId = fc.tuple(clientOrderId.filter((id) => id.length <= 59), fc.integer({ min: 1, max: 500 })).map(([parent, slice]) => `${parent}:t${slice}`);

describe('schemas/fill-stream-entry.json and commission-stream-entry.json', () => {
  const fillEntry = validator('fill-stream-entry.json');
  const commissionEntry = validator('commission-stream-entry.json');

  it('accept every entry FillStream appends, and parse back to the values appended', () => {
    const execution = fc.record({
      slice: fc.option(childOrderId.map((id) => ({ id, parent: id.slice(0, id.indexOf(':')) })), { nil: undefined }),
      clientOrderId,
      account: fc.stringMatching(/^[A-Za-z0-9._-]{1,32}$/),
      symbol: fc.stringMatching(/^[A-Z0-9][A-Z0-9.]{0,15}$/),
      contractMonth: fc.constantFrom('202703', '20270319', ''),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      fill: fc.record({ execId, price, quantity, commission: fc.option(price, { nil: undefined }) }, { requiredKeys: ['execId', 'price', 'quantity'] }),
      time: timestamp,
    });
    fc.assert(
      fc.property(execution, ({ slice, clientOrderId: id, account, symbol, contractMonth, side, fill, time }) => {
        const order = { clientOrderId: slice?.id ?? id, ...(slice ? { parentClientOrderId: slice.parent } : {}), account, symbol, contractMonth, side };
        const appended = streamExecution(order, { fill }, time);
        const entry = streamEntryFields({ type: 'fill', ...appended });
        expect(fillEntry(entry), JSON.stringify(fillEntry.errors)).toBe(true);
        // As text, -0 is 0: compare as JSON, which says the same.
        expect(fillStreamExecutionSchema.parse(entry)).toEqual(asJson({ type: 'fill', ...appended }));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(execId, fc.option(fc.oneof(clientOrderId, childOrderId), { nil: undefined }), price, timestamp, (id, orderId, commission, time) => {
        const entry = streamEntryFields({ type: 'commission', execId: id, clientOrderId: orderId, commission, time });
        expect(commissionEntry(entry), JSON.stringify(commissionEntry.errors)).toBe(true);
        expect(fillStreamCommissionSchema.parse(entry)).toEqual(asJson({ type: 'commission', execId: id, clientOrderId: orderId, commission, time }));
      }),
    );
  });

  it('refuse what Redis never holds for an entry: numbers as numbers, a lower-case side, fractional contracts, unknown fields', () => {
    const entry = { type: 'fill', execId: '0000e0d5.6571b2c4.01.01', clientOrderId: 'carry.ES.1', account: 'DU1234567', symbol: 'ES', contractMonth: '202703', side: 'BUY', price: '5210.25', quantity: '2', time: '2027-03-15T14:30:00.123Z' };
    expect(fillEntry(entry)).toBe(true);
    for (const wrong of [{ price: 5210.25 }, { side: 'buy' }, { quantity: '1.5' }, { quantity: '0' }, { commission: 'x' }, { contractMonth: '2027' }, { extra: '1' }, { type: 'commission' }]) {
      expect(fillEntry({ ...entry, ...wrong }), JSON.stringify(wrong)).toBe(false);
      expect(fillStreamExecutionSchema.safeParse({ ...entry, ...wrong }).success, JSON.stringify(wrong)).toBe(false);
    }
  });
});

describe('schemas/order-state-event.json', () => {
  const orderState = validator('order-state-event.json');

  it('accepts what an order publishes on each written transition', () => {
    const message = fc.record({
      clientOrderId: fc.oneof(clientOrderId, childOrderId),
      state: fc.constantFrom(...WRITTEN_ORDER_STATES),
      filledQuantity: fc.integer({ min: 0, max: 1_000_000 }),
      averagePrice: fc.option(price, { nil: null }),
      at: timestamp,
    });
    fc.assert(
      fc.property(message, (m) => {
        expect(orderStateMessageSchema.parse(m)).toEqual(m);
        expect(orderState(asJson(m)), JSON.stringify(orderState.errors)).toBe(true);
      }),
    );
    expect(orderState({ clientOrderId: 'x', state: 'working', filledQuantity: 0, averagePrice: null })).toBe(false);
  });

  it('names every state the order machine writes', () => {
    const machine = readFileSync(new URL('../../src/machines/orders/orderMachine.ts', import.meta.url), 'utf8');
    const written = new Set([...machine.matchAll(/type: 'persist', params: \{ state: '(\w+)' \}/g)].map(([, state]) => state));
    expect(written.size).toBeGreaterThan(10);
    expect([...WRITTEN_ORDER_STATES].sort()).toEqual([...written].sort());
  });
});
