import { describe, expect, it } from 'vitest';
import { Reject } from '../../../src/marketdata/rejectReasons.ts';
import { captureBalanced, makeEngine, rejectsOf, send, T0 } from './engineKit.ts';

describe('quality control rejects', () => {
  it.each([
    ['non-finite price', { bid: Number.POSITIVE_INFINITY, ask: 101 }, Reject.NonFinite],
    ['non-finite timestamp', { last: 100, ts: Number.NaN }, Reject.NonFinite],
    ['a tick without any price', {}, Reject.NoPrice],
    ['a zero price', { last: 0 }, Reject.NonPositive],
    ['a negative bid', { bid: -1, ask: 100 }, Reject.NonPositive],
    ['a crossed quote', { bid: 101, ask: 100 }, Reject.Crossed],
    ['a timestamp in the future', { last: 100, ts: T0 + 60_000 }, Reject.FutureTimestamp],
    ['an unknown instrument', { instrument: 7, last: 100 }, Reject.UnknownInstrument],
    ['a negative instrument index', { instrument: -1, last: 100 }, Reject.UnknownInstrument],
  ])('%s, counted under its reason with the raw value kept', (_name, tick, reason) => {
    const { engine } = makeEngine();
    send(engine, 'a', [tick]);
    expect(rejectsOf(engine, 'a', reason)).toBe(1);
    expect(engine.counters.accepted[0]).toBe(0);
    const [logged] = engine.recentRejects(10);
    expect(logged?.sourceId).toBe('a');
    expect(logged?.reason).toBe(['unknown_instrument', 'non_finite', 'no_price', 'non_positive', 'crossed', 'future_timestamp'][reason]);
    expect(Object.is(logged?.bid, (tick as { bid?: number }).bid ?? Number.NaN)).toBe(true);
    expect(engine.lastPrice('ES')).toBeUndefined();
    expect(captureBalanced(engine)).toBe(true);
  });

  it('rejects a timestamp that goes backwards for the same source and instrument', () => {
    const { engine } = makeEngine();
    send(engine, 'a', [{ last: 100, ts: T0 }, { last: 100.25, ts: T0 - 1 }]);
    expect(rejectsOf(engine, 'a', Reject.BackwardsTimestamp)).toBe(1);
    expect(engine.lastPrice('ES')?.price).toBe(100);
  });

  it('lets each source and instrument keep its own clock', () => {
    const { engine } = makeEngine();
    send(engine, 'a', [{ last: 100, ts: T0 }]);
    send(engine, 'b', [{ last: 100, ts: T0 - 5 }]);
    send(engine, 'a', [{ instrument: 1, last: 200, ts: T0 - 10 }]);
    expect(engine.counters.totals().rejected).toBe(0);
  });

  it('accepts zero and negative prices where the instrument allows them', () => {
    const { engine } = makeEngine({ instruments: { CL: { allowNonPositive: true }, ES: {} } }, ['CL', 'ES']);
    send(engine, 'a', [{ instrument: 0, bid: -37.63, ask: -37.6 }, { instrument: 1, last: -1 }]);
    expect(engine.lastPrice('CL')?.price).toBeCloseTo(-37.615, 10);
    expect(rejectsOf(engine, 'a', Reject.NonPositive)).toBe(1);
  });

  it('carries a missing side forward from the last quote, and rejects an update that crosses it', () => {
    const { engine, clock } = makeEngine();
    send(engine, 'a', [{ bid: 100, ask: 100.5 }], clock);
    clock.advance(1);
    send(engine, 'a', [{ bid: 100.25 }], clock);
    expect(engine.lastPrice('ES')).toMatchObject({ bid: 100.25, ask: 100.5, price: 100.375 });
    clock.advance(1);
    send(engine, 'a', [{ bid: 100.75 }], clock);
    expect(rejectsOf(engine, 'a', Reject.Crossed)).toBe(1);
    expect(engine.lastPrice('ES')?.bid).toBe(100.25);
  });

  it('counts entries a batch declares beyond its arrays as received and rejected', () => {
    const { engine } = makeEngine();
    const batch = { source: 'a', count: 5, instrument: new Int32Array(2), bid: new Float64Array(2).fill(Number.NaN), ask: new Float64Array(2).fill(Number.NaN), last: new Float64Array(2).fill(100), sourceTsMs: new Float64Array(2).fill(T0), receivedMs: new Float64Array(2).fill(T0) };
    engine.ingest(batch);
    expect(engine.counters.totals()).toEqual({ received: 5, accepted: 2, rejected: 3, held: 0 });
  });

  it('counts ticks of sources beyond the slot limit instead of dropping them silently', () => {
    const { engine } = makeEngine({ maxSources: 1 });
    send(engine, 'a', [{ last: 100 }]);
    send(engine, 'b', [{ last: 100 }, { last: 100 }]);
    expect(engine.counters.overflow.get('b')).toBe(2);
    expect(captureBalanced(engine)).toBe(true);
  });
});
