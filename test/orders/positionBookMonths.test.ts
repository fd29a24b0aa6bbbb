import { describe, expect, it } from 'vitest';
import { PositionBook, type ContractMonths } from '../../src/orders/positionBook.ts';

/** Crude oil as reference data knows it: February 2027 stops trading on 20 January. */
function crudeMonths(): ContractMonths & { asked: number } {
  const known = new Map<string, string>();
  const months = {
    asked: 0,
    knownContractMonthOf: (_symbol: string, expiry: string | undefined) => (expiry && /^\d{6}$/.test(expiry) ? expiry : expiry ? known.get(expiry) : undefined),
    contractMonthOf: async (_symbol: string, expiry?: string) => {
      months.asked += 1;
      if (expiry !== '20270120') throw new Error(`no CL contract expiring ${expiry}`);
      known.set(expiry, '202702');
      return '202702';
    },
  };
  return months;
}

describe('position book keys positions by contract month, never by slicing a last trade date', () => {
  it('a CL last trade date in January is February once reference data said so; YYYYMM needs no lookup', async () => {
    const months = crudeMonths();
    const book = new PositionBook(months);
    // Not known yet: a bucket of its own rather than January.
    expect(book.monthOf('CL', '20270120')).toBe('20270120');
    expect(await book.learnMonthOf('CL', '20270120')).toBe('202702');
    expect(book.monthOf('CL', '20270120')).toBe('202702');
    expect(await book.learnMonthOf('CL', '202703')).toBe('202703');
    expect(months.asked).toBe(1);
    book.applyExecution('DU1', 'CL', book.monthOf('CL', '20270120'), 'BUY', 'e1', 3);
    expect(book.position('DU1', 'CL', '202702')).toBe(3);
    expect(book.position('DU1', 'CL', '202701')).toBe(0);
  });

  it('a lookup that fails leaves the expiry in a bucket of its own', async () => {
    const book = new PositionBook(crudeMonths());
    expect(await book.learnMonthOf('CL', '20270220')).toBe('20270220');
    expect(new PositionBook().monthOf('CL', '20270120')).toBe('20270120');
    expect(new PositionBook().monthOf('CL', undefined)).toBe('');
  });
});
