import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WHAT_IF_FIELDS, isMarginFigure, marginFigure, whatIfMargins } from '../../../src/ib/parsing/whatIf.ts';

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

  it.each<[string, unknown]>([
    ['empty text', ''],
    ['blank text', '   '],
    ['IB unset sentinel', DOUBLE_MAX],
    ['IB unset sentinel as IB writes it', '1.7976931348623157E308'],
    ['IB unset sentinel as JS writes it', String(DOUBLE_MAX)],
    ['negative sentinel', -DOUBLE_MAX],
    ['huge but finite', 1e300],
    ['infinity', Number.POSITIVE_INFINITY],
    ['negative infinity', Number.NEGATIVE_INFINITY],
    ['Infinity as text', 'Infinity'],
    ['NaN', Number.NaN],
    ['NaN as text', 'NaN'],
    ['letters', 'abc'],
    ['number with trailing text', '12abc'],
    ['hex text', '0x10'],
    ['binary text', '0b1'],
    ['two numbers', '1 2'],
    ['lone sign', '-'],
    ['lone dot', '.'],
    ['null', null],
    ['undefined', undefined],
    ['boolean', true],
    ['object', {}],
    ['array', [5]],
    ['bigint', 5n],
  ])('%s is not a figure (NaN), never 0', (_label, value) => {
    expect(marginFigure(value)).toBeNaN();
  });

  it.each<[unknown, number]>([
    [0, 0],
    ['0', 0],
    ['0.0', 0],
    ['22000', 22_000],
    [' 22000.5 ', 22_000.5],
    ['-42.25', -42.25],
    ['+7', 7],
    ['.5', 0.5],
    ['5.', 5],
    ['1e5', 100_000],
    ['1.5E+3', 1_500],
    [1e299, 1e299],
  ])('%j reads as %d', (value, expected) => {
    expect(marginFigure(value)).toBe(expected);
  });

  it('an answer whose figures are empty text or the unset sentinel reads as not computed for those fields only', () => {
    const m = whatIfMargins({ initMarginChange: '', initMarginAfter: '1.7976931348623157E308', equityWithLoanAfter: '1000000', maintMarginChange: 5, maintMarginAfter: '   ' });
    expect(m.initMarginChange).toBeNaN();
    expect(m.initMarginAfter).toBeNaN();
    expect(m.maintMarginAfter).toBeNaN();
    expect(m.equityWithLoanAfter).toBe(1_000_000);
    expect(m.maintMarginChange).toBe(5);
  });

  it('property: every finite figure below the not-computed mark reads back as itself, as a number or as text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e299, max: 1e299 }), (n) => {
        expect(marginFigure(n)).toBe(n);
        expect(marginFigure(String(n))).toBe(Number(String(n)));
      }),
    );
  });

  it('property: whatever IB sends, a figure is either NaN or a finite number below the not-computed mark — empty text is never 0', () => {
    const anyValue = fc.oneof(
      fc.double(),
      fc.double().map(String),
      fc.string(),
      fc.constantFrom('', ' ', '\t', '\n', DOUBLE_MAX, String(DOUBLE_MAX), '1.7976931348623157E308', -DOUBLE_MAX, 'Infinity', '-Infinity', 'NaN'),
      fc.constantFrom(null, undefined, true, false),
      fc.integer(),
      fc.integer().map(String),
    );
    fc.assert(
      fc.property(anyValue, (value) => {
        const n = marginFigure(value);
        if (!Number.isNaN(n)) expect(isMarginFigure(n)).toBe(true);
        if (typeof value === 'string' && value.trim() === '') expect(n).toBeNaN();
        if (typeof value === 'string' && !Number.isNaN(n)) expect(n).toBe(Number(value));
        if (typeof value === 'number' && !Number.isNaN(n)) expect(n).toBe(value);
      }),
    );
  });

  it('property: whatIfMargins never turns a missing figure into a number', () => {
    const figure = fc.oneof(fc.constant(undefined), fc.constant(''), fc.constant(DOUBLE_MAX), fc.constant('1.7976931348623157E308'), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.record({ initMarginChange: figure, maintMarginChange: figure, initMarginAfter: figure, maintMarginAfter: figure, equityWithLoanAfter: figure }), (state) => {
        const m = whatIfMargins(state);
        for (const [domain, ib] of Object.entries(WHAT_IF_FIELDS)) {
          const raw = state[ib as keyof typeof state];
          const read = m[domain as keyof typeof m];
          if (typeof raw === 'number' && Math.abs(raw) < 1e300) expect(read).toBe(raw);
          else expect(read).toBeNaN();
        }
      }),
    );
  });
});
