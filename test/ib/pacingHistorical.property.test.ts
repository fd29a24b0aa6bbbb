import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_HISTORICAL_PACING,
  HistoricalPacing,
  identicalRequestKey,
  sameContractKey,
  type HistoricalPacingConfig,
  type HistoricalRequest,
} from '../../src/ib/pacing/index.ts';

interface Arrival {
  readonly request: HistoricalRequest;
  readonly gapMs: number;
}

// Small pools so that identical and same-contract collisions are common.
const requestArb: fc.Arbitrary<HistoricalRequest> = fc.record({
  contract: fc.constantFrom('ES', 'NQ', 'ZN'),
  exchange: fc.constantFrom('CME', 'CBOT'),
  whatToShow: fc.constantFrom('TRADES', 'MIDPOINT', 'BID_ASK'),
  endDateTime: fc.constantFrom('', '20260102 16:00:00 US/Central', '20260105 16:00:00 US/Central'),
  duration: fc.constantFrom('1 D', '2 D'),
  barSize: fc.constantFrom('1 min', '5 mins'),
});

const arrivalsArb = fc.array(fc.record({ request: requestArb, gapMs: fc.integer({ min: 0, max: 3_000 }) }), {
  minLength: 1,
  maxLength: 150,
  // Long streams, so that more than 60 arrive within ten minutes and that rule binds too.
  size: 'max',
});

/**
 * What a caller does: try each request when it arrives, and re-queue a refused one at its
 * retryAt. Returns when each request was finally let through.
 */
function schedule(config: HistoricalPacingConfig, arrivals: readonly Arrival[]): { request: HistoricalRequest; at: number }[] {
  const pacing = new HistoricalPacing(config);
  const pending: { request: HistoricalRequest; at: number; seq: number }[] = [];
  let t = 0;
  arrivals.forEach((a, seq) => {
    t += a.gapMs;
    pending.push({ request: a.request, at: t, seq });
  });
  const sent: { request: HistoricalRequest; at: number }[] = [];
  let steps = 0;
  while (pending.length > 0) {
    if (++steps > 1_000_000) throw new Error('requests never all allowed');
    pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = pending.shift()!;
    const decision = pacing.tryAcquire(next.request, next.at);
    if (decision.ok) sent.push({ request: next.request, at: next.at });
    else {
      expect(decision.retryAt).toBeGreaterThan(next.at);
      pending.push({ ...next, at: decision.retryAt });
    }
  }
  return sent;
}

const weightOf = (config: HistoricalPacingConfig, r: HistoricalRequest) => (config.doubleCountedTickTypes.includes(r.whatToShow) ? 2 : 1);

/** Independent, brute-force statement of IB's three rules over a finished schedule. */
function violations(config: HistoricalPacingConfig, sent: readonly { request: HistoricalRequest; at: number }[]): string[] {
  const found: string[] = [];
  sent.forEach((s, i) => {
    let sameContract = 0;
    let all = 0;
    sent.forEach((o, j) => {
      const age = s.at - o.at;
      if (j !== i && identicalRequestKey(o.request) === identicalRequestKey(s.request) && Math.abs(age) < config.identicalWindowMs) {
        found.push(`identical requests at ${o.at} and ${s.at}`);
      }
      if (age < 0 || (age === 0 && j > i)) return; // count only what was sent up to and including s
      if (age < config.sameContractWindowMs && sameContractKey(o.request) === sameContractKey(s.request)) {
        sameContract += Math.min(weightOf(config, o.request), config.sameContractMax);
      }
      if (age < config.windowMs) all += Math.min(weightOf(config, o.request), config.windowMax);
    });
    if (sameContract > config.sameContractMax) found.push(`same contract count ${sameContract} at ${s.at}`);
    if (all > config.windowMax) found.push(`window count ${all} at ${s.at}`);
  });
  return found;
}

describe('HistoricalPacing properties', () => {
  it('the oracle does flag a schedule that breaks the rules', () => {
    const c = DEFAULT_HISTORICAL_PACING;
    const r = (end: string): HistoricalRequest => ({ contract: 'ES', exchange: 'CME', whatToShow: 'TRADES', endDateTime: end, duration: '1 D', barSize: '1 min' });
    expect(violations(c, [0, 1, 2, 3, 4, 5].map((i) => ({ request: r(`${i}`), at: i * 100 })))).toContain('same contract count 6 at 500');
    expect(violations(c, [{ request: r('x'), at: 0 }, { request: r('x'), at: 14_999 }]).length).toBeGreaterThan(0);
  });

  it('with IB’s limits: every request is eventually allowed and the schedule breaks no rule', () => {
    fc.assert(
      fc.property(arrivalsArb, (arrivals) => {
        const sent = schedule(DEFAULT_HISTORICAL_PACING, arrivals);
        expect(sent).toHaveLength(arrivals.length);
        expect(violations(DEFAULT_HISTORICAL_PACING, sent)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('with small random limits, so every rule binds often: still all allowed, none broken', () => {
    const configArb = fc.record({
      identicalWindowMs: fc.integer({ min: 0, max: 20_000 }),
      sameContractWindowMs: fc.integer({ min: 0, max: 5_000 }),
      sameContractMax: fc.integer({ min: 1, max: 6 }),
      windowMs: fc.integer({ min: 0, max: 60_000 }),
      windowMax: fc.integer({ min: 1, max: 10 }),
      doubleCountedTickTypes: fc.constantFrom(['BID_ASK'], [] as string[]),
    });
    fc.assert(
      fc.property(configArb, arrivalsArb, (config, arrivals) => {
        const sent = schedule(config, arrivals);
        expect(sent).toHaveLength(arrivals.length);
        expect(violations(config, sent)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
