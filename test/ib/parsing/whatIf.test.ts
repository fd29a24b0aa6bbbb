import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WHAT_IF_FIELDS, marginFigure, whatIfMargins } from '../../../src/ib/parsing/whatIf.ts';

const DOUBLE_MAX = 1.7976931348623157e308;

describe('whatIf margins', () => {
  it.each(Object.entries(WHAT_IF_FIELDS))('%s is read from IB field %s, as a number or numeric text', (domain, ib) => {
    expect(whatIfMargins({ [ib]: 1234.5 })[domain as keyof typeof WHAT_IF_FIELDS]).toBe(1234.5);
    expect(whatIfMargins({ [ib]: '-42.25' })[domain as keyof typeof WHAT_IF_FIELDS]).toBe(-42.25);
  });

  it('an answer without figures reads as not computed (NaN), never as zero margin', () => {
    for (const value of Object.values(whatIfMargins(undefined))) expect(value).toBeNaN();
    for (const value of Object.values(whatIfMargins({}))) expect(value).toBeNaN();
  });

  it("IB's Double.MAX (not computed) and non-numbers are not figures", () => {
    for (const value of [DOUBLE_MAX, String(DOUBLE_MAX), 'abc', Number.POSITIVE_INFINITY, null, undefined]) expect(marginFigure(value)).toBeNaN();
  });

  it('property: every finite figure below the not-computed mark reads back as itself, as a number or as text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, max: 1e299 }), (n) => {
        expect(marginFigure(n)).toBe(n);
        expect(marginFigure(String(n))).toBe(Number(String(n)));
      }),
    );
  });
});
