import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReportJob } from '../../../src/regulatory/pipeline/reportJob.ts';
import { reportJobId, stableJson } from '../../../src/regulatory/pipeline/reportJobId.ts';
import { reportJobOptions } from '../../../src/regulatory/pipeline/reportJobOptions.ts';
import { deadlinePriority, HIGHEST_PRIORITY, LOWEST_PRIORITY, PRIORITY_EPOCH_MS } from '../../../src/regulatory/pipeline/reportPriority.ts';
import type { ReportRequest } from '../../../src/regulatory/reportTypes.ts';

const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
const params = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

const validRequest: fc.Arbitrary<ReportRequest> = fc.record(
  {
    jurisdiction: fc.constantFrom('CFTC' as const, 'NFA' as const),
    type: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
    reportDate: day,
    deadline: instant,
    params,
  },
  { requiredKeys: ['jurisdiction', 'type', 'reportDate', 'deadline'] },
);

/** Anything a producer might put on the queue, JSON-shaped as BullMQ stores it. */
const garbage = fc.oneof(
  fc.jsonValue(),
  fc.record({ jurisdiction: fc.jsonValue(), type: fc.jsonValue(), reportDate: fc.jsonValue(), deadline: fc.jsonValue(), params: fc.jsonValue() }, { requiredKeys: [] }),
  validRequest.chain((request) => fc.record({ key: fc.constantFrom(...Object.keys(request)), value: fc.jsonValue() }).map(({ key, value }) => ({ ...request, [key]: value }))),
);

describe('reports job payloads', () => {
  it('accept every valid request unchanged', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        const parsed = parseReportJob(JSON.parse(JSON.stringify(request)));
        expect(parsed).toEqual({ ok: true, request: JSON.parse(JSON.stringify(request)) });
      }),
    );
  });

  it('never throw on garbage: an invalid payload comes back as `field: problem` lines', () => {
    const allowed = new Set(['jurisdiction', 'type', 'reportDate', 'deadline', 'params']);
    fc.assert(
      fc.property(garbage, (data) => {
        const parsed = parseReportJob(data);
        const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
        const unknown = isObject ? Object.keys(data).filter((key) => !allowed.has(key)) : [];
        if (!isObject || unknown.length > 0) expect(parsed.ok).toBe(false);
        if (parsed.ok) return;
        expect(parsed.errors.length).toBeGreaterThan(0);
        for (const line of parsed.errors) expect(line).toMatch(/^\S.*: \S/);
        for (const key of unknown) expect(parsed.errors.some((line) => line.endsWith(': unknown field') && (line.includes(key) || line.includes(JSON.stringify(key))))).toBe(true);
      }),
    );
  });

  it('survive values that throw when read', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    expect(parseReportJob(hostile)).toEqual({ ok: false, errors: [expect.stringContaining('(root)')] });
  });

  it('reject impossible calendar dates and non-UTC deadlines', () => {
    const base = { jurisdiction: 'CFTC', type: 'positions', reportDate: '2025-02-29', deadline: '2025-03-04T14:00:00+01:00' };
    expect(parseReportJob(base)).toEqual({
      ok: false,
      errors: ['reportDate: must be a calendar date YYYY-MM-DD', 'deadline: must be an ISO-8601 UTC timestamp, e.g. 2025-03-04T14:00:00Z'],
    });
  });
});

describe('deadline priority', () => {
  it('is a BullMQ priority and never puts a later deadline ahead of an earlier one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.integer({ min: -1e13, max: 1e13 }), (a, b) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const p = deadlinePriority(earlier);
        const q = deadlinePriority(later);
        for (const priority of [p, q]) {
          expect(Number.isInteger(priority)).toBe(true);
          expect(priority).toBeGreaterThanOrEqual(HIGHEST_PRIORITY);
          expect(priority).toBeLessThanOrEqual(LOWEST_PRIORITY);
        }
        expect(p).toBeLessThanOrEqual(q);
      }),
    );
  });

  it('tells apart deadlines five minutes apart within its range', () => {
    fc.assert(
      fc.property(fc.integer({ min: PRIORITY_EPOCH_MS, max: PRIORITY_EPOCH_MS + 19 * 365 * 86_400_000 }), (deadline) => {
        expect(deadlinePriority(deadline)).toBeLessThan(deadlinePriority(deadline + 5 * 60_000));
      }),
    );
  });

  it('puts overdue deadlines first and unreadable ones last', () => {
    expect(deadlinePriority('2020-01-01T00:00:00Z')).toBe(HIGHEST_PRIORITY);
    expect(deadlinePriority('not a date')).toBe(LOWEST_PRIORITY);
  });
});

describe('report job ids', () => {
  it('are the same for the same request, whatever the key order, and BullMQ-safe', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        const reordered = Object.fromEntries(Object.entries(request).reverse()) as unknown as ReportRequest;
        if (request.params) reordered.params = Object.fromEntries(Object.entries(request.params).reverse());
        const id = reportJobId(request);
        expect(reportJobId(reordered)).toBe(id);
        expect(id).not.toContain(':');
        expect(id).not.toMatch(/^\d+$/);
        expect(reportJobOptions(request).jobId).toBe(id);
      }),
    );
  });

  it('differ for different requests', () => {
    fc.assert(
      fc.property(validRequest, validRequest, (a, b) => {
        fc.pre(stableJson(a) !== stableJson(b));
        expect(reportJobId(a)).not.toBe(reportJobId(b));
      }),
    );
  });
});
