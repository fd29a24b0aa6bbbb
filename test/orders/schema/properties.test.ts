import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOrderJob } from '../../../src/orders/schema/index.ts';
import { validJobs } from './orderJobFixtures.ts';

const NAME = String.raw`[A-Za-z_$][\w$]*`;
const BRACKET = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;
/** `(root): ...`, `algorithm.kind: ...`, `["odd key"]: ...`: every line starts with the field it is about. */
const FIELD_LINE = new RegExp(String.raw`^(\(root\)|(?:${NAME}|${BRACKET})(?:\.${NAME}|${BRACKET})*): \S`);

/** A valid job with one field (top level or nested) replaced, removed or added. */
const mutatedJob = fc
  .record({
    base: fc.constantFrom(...Object.values(validJobs)),
    key: fc.constantFrom(
      'type', 'clientOrderId', 'account', 'instrument', 'side', 'quantity', 'orderType', 'limitPrice', 'stopPrice',
      'timeInForce', 'algorithm', 'strategy', 'deadline', 'riskReducing', 'extraField',
    ),
    nestedKey: fc.option(fc.constantFrom('symbol', 'expiry', 'conId', 'kind', 'slices', 'durationMs', 'repriceEveryMs', 'deadlineMs', 'atDeadline'), { nil: undefined }),
    value: fc.oneof(fc.anything(), fc.constant(undefined), fc.integer(), fc.double(), fc.string(), fc.constantFrom('LMT', 'MKT', 'STP', 'STP LMT', 'BUY', 'cancel', 'modify', '202613', '20260631')),
  })
  .map(({ base, key, nestedKey, value }) => {
    const job: Record<string, unknown> = structuredClone(base);
    const nested = job[key];
    if (nestedKey !== undefined && typeof nested === 'object' && nested !== null) {
      job[key] = { ...nested, [nestedKey]: value };
      return { job, mutated: nestedKey };
    }
    job[key] = value;
    return { job, mutated: key };
  });

describe('parseOrderJob on arbitrary input', () => {
  it('never throws, and a rejection is a non-empty list of `field: problem` lines', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (data) => {
        const result = parseOrderJob(data);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const line of result.errors) expect(line).toMatch(FIELD_LINE);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a mutated valid job is accepted, or the errors name the field that was changed', () => {
    fc.assert(
      fc.property(mutatedJob, ({ job, mutated }) => {
        const result = parseOrderJob(job);
        if (result.ok) return;
        expect(result.errors.length).toBeGreaterThan(0);
        for (const line of result.errors) expect(line).toMatch(FIELD_LINE);
        // Changing `type` re-reads the whole job as another kind, which may fail anywhere.
        if (mutated !== 'type') expect(result.errors.join('\n')).toContain(mutated);
      }),
      { numRuns: 3_000 },
    );
  });

  it('accepted jobs are stable: parsing the output again gives the same job', () => {
    fc.assert(
      fc.property(mutatedJob, ({ job }) => {
        const first = parseOrderJob(job);
        if (!first.ok) return;
        const second = parseOrderJob(JSON.parse(JSON.stringify(first.job)));
        expect(second).toEqual(first);
      }),
      { numRuns: 1_000 },
    );
  });
});
