import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORICAL_PACING, HistoricalPacing, type HistoricalRequest } from '../../src/ib/pacing/index.ts';

const request = (overrides: Partial<HistoricalRequest> = {}): HistoricalRequest => ({
  contract: '495512563',
  exchange: 'CME',
  whatToShow: 'TRADES',
  endDateTime: '20260102 16:00:00 US/Central',
  duration: '1 D',
  barSize: '1 min',
  ...overrides,
});

/** Distinct (non-identical) requests for the same contract, exchange and tick type. */
const window = (i: number) => request({ endDateTime: `20260102 ${String(i).padStart(2, '0')}:00:00 US/Central` });

describe('HistoricalPacing', () => {
  it('uses IB’s published limits by default', () => {
    expect(DEFAULT_HISTORICAL_PACING).toMatchObject({
      identicalWindowMs: 15_000,
      sameContractWindowMs: 2_000,
      sameContractMax: 5,
      windowMs: 600_000,
      windowMax: 60,
      doubleCountedTickTypes: ['BID_ASK'],
    });
  });

  it('allows a first request', () => {
    expect(new HistoricalPacing().check(request(), 0)).toEqual({ ok: true });
  });

  it('holds an identical request until 15 s after the first', () => {
    const pacing = new HistoricalPacing();
    pacing.record(request(), 1_000);
    expect(pacing.check(request(), 5_000)).toEqual({ ok: false, retryAt: 16_000, rule: 'identical_request' });
    expect(pacing.check(request(), 15_999).ok).toBe(false);
    expect(pacing.check(request(), 16_000)).toEqual({ ok: true });
  });

  it('treats a request differing in any field as not identical', () => {
    const pacing = new HistoricalPacing();
    pacing.record(request(), 0);
    for (const variant of [{ duration: '2 D' }, { barSize: '5 mins' }, { useRth: true }, { endDateTime: '' }]) {
      expect(pacing.check(request(variant), 3_000).ok, JSON.stringify(variant)).toBe(true);
    }
  });

  it('allows five requests for one contract, exchange and tick type within 2 s and holds the sixth', () => {
    const pacing = new HistoricalPacing();
    for (let i = 0; i < 5; i++) expect(pacing.tryAcquire(window(i), 100 * i).ok).toBe(true);
    expect(pacing.check(window(5), 500)).toEqual({ ok: false, retryAt: 2_000, rule: 'same_contract' });
    expect(pacing.check(window(5), 2_000)).toEqual({ ok: true });
  });

  it('counts the same-contract rule separately per exchange and tick type', () => {
    const pacing = new HistoricalPacing();
    for (let i = 0; i < 5; i++) pacing.record(window(i), 0);
    expect(pacing.check(request({ whatToShow: 'MIDPOINT' }), 0).ok).toBe(true);
    expect(pacing.check(request({ exchange: 'CBOT' }), 0).ok).toBe(true);
    expect(pacing.check(request({ contract: 'other' }), 0).ok).toBe(true);
  });

  it('holds the 61st request in ten minutes until the oldest ages out', () => {
    const pacing = new HistoricalPacing();
    for (let i = 0; i < 60; i++) {
      expect(pacing.tryAcquire(request({ contract: `c${i}` }), 1_000 * i).ok).toBe(true);
    }
    expect(pacing.check(request({ contract: 'c60' }), 60_000)).toEqual({ ok: false, retryAt: 600_000, rule: 'request_window' });
    expect(pacing.check(request({ contract: 'c60' }), 600_000)).toEqual({ ok: true });
  });

  it('counts BID_ASK requests twice', () => {
    const pacing = new HistoricalPacing();
    const bidAsk = (i: number) => ({ ...window(i), whatToShow: 'BID_ASK' });
    expect(pacing.tryAcquire(bidAsk(0), 0).ok).toBe(true);
    expect(pacing.tryAcquire(bidAsk(1), 0).ok).toBe(true);
    // 4 of 5 counted: a third BID_ASK (2 more) does not fit until the first ages out.
    expect(pacing.check(bidAsk(2), 100)).toEqual({ ok: false, retryAt: 2_000, rule: 'same_contract' });
  });

  it('reports the latest retry time when several rules are broken', () => {
    const pacing = new HistoricalPacing({ windowMax: 2, windowMs: 60_000 });
    pacing.record(request(), 0);
    pacing.record(request({ contract: 'other' }), 10);
    expect(pacing.check(request(), 1_000)).toEqual({ ok: false, retryAt: 60_000, rule: 'request_window' });
  });

  it('does not record on check, and does not record a refused tryAcquire', () => {
    const pacing = new HistoricalPacing();
    expect(pacing.check(request(), 0).ok).toBe(true);
    expect(pacing.check(request(), 0).ok).toBe(true);
    pacing.record(request(), 0);
    expect(pacing.tryAcquire(request(), 1).ok).toBe(false);
    expect(pacing.check(request(), 15_000).ok).toBe(true);
  });

  it('decides correctly after a long run of requests', () => {
    const pacing = new HistoricalPacing();
    // A day of one request a minute for one hot contract.
    for (let i = 0; i < 1_440; i++) expect(pacing.tryAcquire(window(i % 24), 60_000 * i).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect(pacing.tryAcquire(window(30 + i), 86_400_000 + i).ok).toBe(true);
  });

  it('rejects limits under one', () => {
    expect(() => new HistoricalPacing({ sameContractMax: 0 })).toThrow(RangeError);
    expect(() => new HistoricalPacing({ windowMax: NaN })).toThrow(RangeError);
    expect(() => new HistoricalPacing({ windowMs: -1 })).toThrow(RangeError);
  });
});
