import { BarSizeSetting, WhatToShow } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { EventName, TestClient, futures } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';
import { TEST_SIM_CLOCK_MS } from '../support/simClock.ts';

interface ReceivedBar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

let sim: TwsSimulator | undefined;
let client: TestClient | undefined;
afterEach(async () => {
  const unexpected = client?.unexpectedErrors() ?? [];
  client?.disconnect();
  await sim?.close();
  client = undefined;
  sim = undefined;
  expect(unexpected).toEqual([]);
});

/** A simulator whose clock stands still at the test instant (Monday 09:00 CT), so `end = now` is exact. */
async function connected(): Promise<TestClient> {
  ({ sim } = await startSimulator({ clock: { now: () => TEST_SIM_CLOCK_MS } }));
  client = new TestClient(sim.address!.port);
  await client.connect(3);
  return client;
}

let nextReqId = 100;
/** Every bar of one answer, through IBApi's historicalData events, up to its "finished" marker. */
async function bars(c: TestClient, args: { end?: string; duration: string; size: string; what: string; formatDate?: number }): Promise<ReceivedBar[]> {
  const reqId = nextReqId++;
  const received = c.collect(EventName.historicalData, EventName.historicalData, (id: number, date: string) => id === reqId && String(date).startsWith('finished'));
  c.ib.reqHistoricalData(reqId, futures('ES'), args.end ?? '', args.duration, args.size as BarSizeSetting, args.what as WhatToShow, 0, args.formatDate ?? 2, false);
  return (await received)
    .filter(([id, date]) => id === reqId && !String(date).startsWith('finished'))
    .map(([, date, open, high, low, close, volume]) => ({ date: String(date), open, high, low, close, volume }));
}


describe('historical bars through @stoqey/ib', () => {
  it('hourly TRADES bars start on the hour, end at the bar in progress, and close at the last price', async () => {
    const c = await connected();
    const got = await bars(c, { duration: '1 D', size: BarSizeSetting.HOURS_ONE, what: WhatToShow.TRADES });
    // Only in session: Globex opened Sunday 17:00 CT (23:00Z); the last bar is the one in progress.
    expect(got).toHaveLength(16);
    expect(Number(got[0]!.date) * 1000).toBe(Date.parse('2026-12-06T23:00:00Z'));
    expect(got.every((b) => Number(b.date) % 3600 === 0)).toBe(true);
    expect(Number(got.at(-1)!.date) * 1000).toBe(TEST_SIM_CLOCK_MS - 3_600_000);
    expect(got.at(-1)!.close).toBe(sim!.price('ES'));
    expect(got.every((b) => b.volume > 0 && b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close))).toBe(true);
  });

  it('BID and ASK bars sit a tick either side of the trades; quote bars carry no volume', async () => {
    const c = await connected();
    const args = { end: '20261207-15:00:00', duration: '3600 S', size: BarSizeSetting.MINUTES_FIVE };
    const [trades, bid, ask] = [await bars(c, { ...args, what: 'TRADES' }), await bars(c, { ...args, what: 'BID' }), await bars(c, { ...args, what: 'ASK' })];
    expect(trades).toHaveLength(12);
    expect(bid.map((b) => b.close + 0.25)).toEqual(trades.map((b) => b.close));
    expect(ask.map((b) => b.open - 0.25)).toEqual(trades.map((b) => b.open));
    expect(bid.map((b) => b.volume)).toEqual(bid.map(() => -1));
  });

  it('daily bars are dated by trading day, yyyyMMdd whatever formatDate', async () => {
    const c = await connected();
    const got = await bars(c, { duration: '5 D', size: BarSizeSetting.DAYS_ONE, what: 'MIDPOINT', formatDate: 2 });
    expect(got.map((b) => b.date)).toEqual(['20261201', '20261202', '20261203', '20261204', '20261207']); // no weekend bars
  });

  it("refuses what IB refuses, with IB's code and text", async () => {
    const c = await connected();
    const cases: [{ end?: string; duration: string; size: string; what: string; formatDate?: number }, number, RegExp][] = [
      [{ duration: '1 D', size: '1 sec', what: 'TRADES' }, 321, /^Error validating request\.-'bP' : cause - Historical data bar size setting is invalid\. Legal ones are: 1 secs, /],
      [{ duration: '1 D', size: '1 hour', what: 'YIELD_LAST' }, 321, /cause - What to show value of YIELD_LAST rejected\.$/],
      [{ duration: '400 D', size: '1 day', what: 'TRADES' }, 321, /cause - Historical data requests for durations longer than 365 days must be made in years\.$/],
      [{ duration: '1 day', size: '1 hour', what: 'TRADES' }, 321, /duration format is integer\{SPACE\}unit \(S\|D\|W\|M\|Y\)\.$/],
      [{ duration: '1 D', size: '1 hour', what: 'TRADES', formatDate: 0 }, 321, /cause - Date formatting selection of 0 rejected\.$/],
      [{ duration: '1 D', size: '1 secs', what: 'TRADES' }, 162, /^Historical Market Data Service error message:invalid step: 1$/],
      [{ duration: '1 D', size: '1 hour', what: 'HISTORICAL_VOLATILITY' }, 162, /^Historical Market Data Service error message:No historical market data for ES\/FUT@CME HistoricalVol 3600$/],
      [{ duration: '1 D', size: '1 hour', what: 'ADJUSTED_LAST' }, 162, /No historical market data for ES\/FUT@CME AdjustedLast 3600$/],
      [{ end: 'yesterday', duration: '1 D', size: '1 hour', what: 'TRADES' }, 10314, /^End Date\/Time: The date, time, or time-zone entered is invalid\./],
    ];
    for (const [args, code, text] of cases) {
      const reqId = nextReqId++;
      c.ib.reqHistoricalData(reqId, futures('ES'), args.end ?? '', args.duration, args.size as BarSizeSetting, args.what as WhatToShow, 0, args.formatDate ?? 1, false);
      const error = await c.expectError(code, reqId);
      expect(error.message, JSON.stringify(args)).toMatch(text);
    }
  });

  it('keepUpToDate still streams the bar in progress, on its bar boundary', async () => {
    const c = await connected();
    const reqId = nextReqId++;
    const finished = c.next(EventName.historicalData, (id: number, date: string) => id === reqId && String(date).startsWith('finished'));
    c.ib.reqHistoricalData(reqId, futures('ES'), '', '1800 S', BarSizeSetting.MINUTES_ONE, WhatToShow.TRADES, 0, 2, true);
    await finished;
    const update = c.next(EventName.historicalDataUpdate, (id: number) => id === reqId);
    sim!.setPrice('ES', 5901.5);
    const [, time, , , , close] = await update;
    expect(Number(time) * 1000).toBe(TEST_SIM_CLOCK_MS);
    expect(close).toBe(5901.5);
    c.ib.cancelHistoricalData(reqId);
  });
});
