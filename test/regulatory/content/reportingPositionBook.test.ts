import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReportingPositionBook, type ReportingFill } from '../../../src/regulatory/cftc/positions/reportingPositionBook.ts';

const fill = (execId: string, side: 'BUY' | 'SELL', quantity: number, contractMonth = '202703'): ReportingFill => ({
  execId,
  account: 'DU1',
  symbol: 'ES',
  contractMonth,
  side,
  quantity,
});

describe('the reporting position book', () => {
  it('nets fills per account and future on top of the broker seed', () => {
    const book = new ReportingPositionBook();
    book.seed([{ account: 'DU1', symbol: 'ES', contractMonth: '202703', net: 10 }]);
    book.applyFill(fill('e1', 'BUY', 5));
    book.applyFill(fill('e2', 'SELL', 20));
    book.applyFill(fill('e3', 'SELL', 3, '202706'));
    expect(book.positions()).toEqual([
      { account: 'DU1', symbol: 'ES', contractMonth: '202703', net: -5 },
      { account: 'DU1', symbol: 'ES', contractMonth: '202706', net: -3 },
    ]);
  });

  it('applies each execId once, including fills the seed already holds', () => {
    const book = new ReportingPositionBook();
    book.seed([{ account: 'DU1', symbol: 'ES', contractMonth: '202703', net: 5 }], ['e1']);
    expect(book.applyFill(fill('e1', 'BUY', 5))).toBe(false);
    expect(book.applyFill(fill('e2', 'BUY', 2))).toBe(true);
    expect(book.applyFill(fill('e2', 'BUY', 2))).toBe(false);
    expect(book.netOf('DU1', 'ES', '202703')).toBe(7);
  });

  it('gives the same positions whatever fills are delivered twice (property)', () => {
    const fills = fc.uniqueArray(
      fc.record({ execId: fc.string({ minLength: 1, maxLength: 6 }), side: fc.constantFrom('BUY' as const, 'SELL' as const), quantity: fc.integer({ min: 1, max: 50 }) }),
      { selector: (f) => f.execId, maxLength: 30 },
    );
    fc.assert(
      fc.property(fills, fc.array(fc.nat(), { maxLength: 30 }), (unique, repeats) => {
        const once = new ReportingPositionBook();
        const replayed = new ReportingPositionBook();
        const deliveries = [...unique];
        for (const r of repeats) if (unique.length) deliveries.splice(r % (deliveries.length + 1), 0, unique[r % unique.length]!);
        for (const f of unique) once.applyFill(fill(f.execId, f.side, f.quantity));
        for (const f of deliveries) replayed.applyFill(fill(f.execId, f.side, f.quantity));
        expect(replayed.positions()).toEqual(once.positions());
      }),
    );
  });

  it('refuses a bad fill, naming the field', () => {
    const book = new ReportingPositionBook();
    expect(() => book.applyFill({ ...fill('e1', 'BUY', 1), quantity: 0 })).toThrow(/fill: quantity/);
    expect(() => book.applyFill({ ...fill('e1', 'BUY', 1), contractMonth: '2027-03' })).toThrow(/fill: contractMonth: must be YYYYMM/);
    expect(() => book.seed([{ account: 'DU1', symbol: 'ES', contractMonth: '202703', net: 1.5 }])).toThrow(/broker position 0: net/);
  });
});
