import { describe, expect, it } from 'vitest';
import { parseOrderJob } from '../../../src/orders/schema/index.ts';
import { validCancel, validLimitOrder, validMarketOrder, validModify, validStopLimitOrder } from './orderJobFixtures.ts';

function errorsOf(data: unknown): string[] {
  const result = parseOrderJob(data);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.job)}`);
  return result.errors;
}

const { algorithm: _algorithm, ...plainLimit } = validLimitOrder;

describe('order jobs that are accepted', () => {
  it('a new order without type is a new order, with timeInForce defaulted to DAY', () => {
    const { timeInForce: _tif, ...withoutTif } = plainLimit;
    const result = parseOrderJob(withoutTif);
    expect(result).toEqual({ ok: true, job: { ...withoutTif, type: 'new', timeInForce: 'DAY' } });
  });

  it.each([
    ['limit order with a limit chase', validLimitOrder],
    ['stop limit by conId, type new', validStopLimitOrder],
    ['market twap, risk reducing', validMarketOrder],
    ['cancel', validCancel],
    ['modify', validModify],
  ])('%s', (_name, job) => {
    const result = parseOrderJob(job);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.job).toMatchObject(job);
  });

  it('STP needs a stop price only', () => {
    const result = parseOrderJob({ ...plainLimit, orderType: 'STP', limitPrice: undefined, stopPrice: 5100 });
    expect(result.ok).toBe(true);
  });

  it('prices may be zero or negative (WTI, spreads), deadlines may carry an offset', () => {
    expect(parseOrderJob({ ...plainLimit, limitPrice: -37.63, deadline: '2020-04-20T14:30:00-04:00' }).ok).toBe(true);
    expect(parseOrderJob({ ...plainLimit, limitPrice: 0 }).ok).toBe(true);
  });

  it('a future by symbol alone: the contract policy picks its month when the order is taken', () => {
    const parsed = parseOrderJob({ ...plainLimit, instrument: { symbol: 'ES' } });
    expect(parsed.ok && parsed.job.type === 'new' && parsed.job.instrument).toEqual({ symbol: 'ES' });
  });

  it('a February 29th expiry in a leap year', () => {
    expect(parseOrderJob({ ...plainLimit, instrument: { symbol: 'ES', expiry: '20240229' } }).ok).toBe(true);
  });
});

describe('golden rejections: each rule, with the field named', () => {
  const { limitPrice: _lp, ...lmtWithoutLimit } = plainLimit;

  it.each<[string, unknown, string[]]>([
    ['missing limit on LMT', lmtWithoutLimit, ['limitPrice: required for orderType LMT']],
    ['missing limit on STP LMT', { ...validStopLimitOrder, limitPrice: undefined }, ['limitPrice: required for orderType STP LMT']],
    ['missing stop on STP', { ...plainLimit, orderType: 'STP', limitPrice: undefined }, ['stopPrice: required for orderType STP']],
    ['stop on MKT forbidden', { ...validMarketOrder, stopPrice: 1 }, ['stopPrice: not allowed for orderType MKT']],
    ['limit on MKT forbidden', { ...validMarketOrder, limitPrice: 1 }, ['limitPrice: not allowed for orderType MKT']],
    ['limit on STP forbidden', { ...plainLimit, orderType: 'STP', stopPrice: 1 }, ['limitPrice: not allowed for orderType STP']],
    ['bad expiry format', { ...plainLimit, instrument: { symbol: 'ES', expiry: '2024-06' } }, ['instrument.expiry: must be YYYYMM or YYYYMMDD']],
    ['expiry month 13', { ...plainLimit, instrument: { symbol: 'ES', expiry: '202413' } }, ['instrument.expiry: must be a real month (01-12) and day']],
    ['expiry February 30th', { ...plainLimit, instrument: { symbol: 'ES', expiry: '20240230' } }, ['instrument.expiry: must be a real month (01-12) and day']],
    ['symbol and conId together', { ...plainLimit, instrument: { symbol: 'ES', expiry: '202406', conId: 1 } }, ['instrument: must be { symbol, expiry? } or { conId }']],
    ['expiry without symbol', { ...plainLimit, instrument: { expiry: '202703' } }, ['instrument.symbol: required']],
    ['conId not positive', { ...plainLimit, instrument: { conId: 0 } }, ['instrument.conId: must be positive']],
    ['lower-case symbol', { ...plainLimit, instrument: { symbol: 'es', expiry: '202406' } }, ['instrument.symbol: must be upper-case letters, digits and dots (IB symbol, e.g. ES, 6E)']],
    ['quantity zero', { ...plainLimit, quantity: 0 }, ['quantity: must be positive']],
    ['fractional quantity', { ...plainLimit, quantity: 1.5 }, ['quantity: must be a whole number of contracts']],
    ['quantity as a string', { ...plainLimit, quantity: '3' }, ['quantity: expected number, got "3"']],
    ['unknown side', { ...plainLimit, side: 'buy' }, ["side: must be 'BUY' or 'SELL'"]],
    ['unknown order type', { ...plainLimit, orderType: 'MOC' }, ["orderType: must be 'MKT', 'LMT', 'STP' or 'STP LMT'"]],
    ['unknown time in force', { ...plainLimit, timeInForce: 'FOK' }, ["timeInForce: must be 'DAY', 'GTC' or 'IOC'"]],
    ['infinite price', { ...plainLimit, limitPrice: Number.POSITIVE_INFINITY }, ['limitPrice: expected number, got Infinity']],
    ['clientOrderId with a space', { ...plainLimit, clientOrderId: 'a b' }, ["clientOrderId: may only contain letters, digits and . _ - (':' is reserved for the ids of child orders)"]],
    ['clientOrderId shaped like a TWAP slice', { ...plainLimit, clientOrderId: 'parent:t1' }, ["clientOrderId: may only contain letters, digits and . _ - (':' is reserved for the ids of child orders)"]],
    ['clientOrderId too long', { ...plainLimit, clientOrderId: 'x'.repeat(65) }, ['clientOrderId: must be at most 64 characters']],
    ['empty clientOrderId', { ...plainLimit, clientOrderId: '' }, ['clientOrderId: must not be empty']],
    ['missing strategy', { ...plainLimit, strategy: undefined }, ['strategy: required']],
    ['deadline without a zone', { ...plainLimit, deadline: '2024-03-15T20:00:00' }, ['deadline: must be an ISO-8601 timestamp with a zone, e.g. 2024-03-15T14:30:00Z']],
    ['riskReducing as a string', { ...plainLimit, riskReducing: 'yes' }, ['riskReducing: expected boolean, got "yes"']],
    ['a typo in a field name', { ...plainLimit, limitprice: 1 }, ['limitprice: unknown field']],
    ['unknown algorithm', { ...plainLimit, algorithm: { kind: 'vwap' } }, ["algorithm.kind: must be 'market', 'limit', 'limitChase' or 'twap'"]],
    ['market algorithm on a limit order', { ...plainLimit, algorithm: { kind: 'market' } }, ["algorithm.kind: 'market' needs orderType MKT, not orderType LMT"]],
    ['limit chase repricing too fast', { ...validLimitOrder, algorithm: { ...validLimitOrder.algorithm, repriceEveryMs: 10 } }, ['algorithm.repriceEveryMs: must be at least 250 ms']],
    ['limit chase repricing slower than its deadline', { ...validLimitOrder, algorithm: { ...validLimitOrder.algorithm, repriceEveryMs: 30_000, deadlineMs: 10_000 } }, ['algorithm.repriceEveryMs: must not exceed deadlineMs']],
    ['limit chase without atDeadline', { ...validLimitOrder, algorithm: { kind: 'limitChase', repriceEveryMs: 1_000, deadlineMs: 10_000 } }, ['algorithm.atDeadline: required']],
    ['twap with more slices than contracts', { ...validMarketOrder, quantity: 3 }, ['algorithm.slices: must not exceed quantity (3): a slice is at least one contract']],
    ['twap slices too close together', { ...validMarketOrder, algorithm: { kind: 'twap', slices: 10, durationMs: 5_000 } }, ['algorithm.durationMs: must allow at least 1000 ms per slice (durationMs >= slices * 1000)']],
    ['twap longer than a day', { ...validMarketOrder, algorithm: { kind: 'twap', slices: 4, durationMs: 86_400_001 } }, ['algorithm.durationMs: must be at most 86400000 ms']],
    ['cancel without clientOrderId', { type: 'cancel' }, ['clientOrderId: required']],
    ['cancel with extra fields', { ...validCancel, quantity: 1 }, ['quantity: unknown field']],
    ['modify with nothing to change', { type: 'modify', clientOrderId: 'x' }, ['(root): a modify needs at least one of quantity, limitPrice, stopPrice']],
    ['modify to a zero quantity', { ...validModify, quantity: 0 }, ['quantity: must be positive']],
    ['unknown job type', { ...validCancel, type: 'replace' }, ["type: must be 'new' (or omitted), 'cancel' or 'modify'"]],
    ['not an object', 'cancel everything', ['(root): expected object, got "cancel everything"']],
    ['null', null, ['(root): expected object, got null']],
  ])('%s', (_name, data, expected) => {
    expect(errorsOf(data)).toEqual(expected);
  });

  it('reports every problem at once, not only the first', () => {
    expect(errorsOf({ type: 'new' })).toEqual([
      'clientOrderId: required',
      'account: required',
      'instrument: required',
      'side: required',
      'quantity: required',
      'orderType: required',
      'strategy: required',
    ]);
  });

  it('a payload whose getters throw is reported, not thrown', () => {
    const hostile = Object.defineProperty({ ...validCancel }, 'clientOrderId', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(errorsOf(hostile)).toEqual(['(root): could not be read (boom)']);
  });
});
