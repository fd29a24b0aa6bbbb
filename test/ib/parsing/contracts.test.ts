import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SecType } from '@stoqey/ib';
import { contractOf, futureContract, secTypeOf } from '../../../src/ib/parsing/contracts.ts';
import { DEFAULT_INSTRUMENTS } from '../../../src/instruments/instruments.ts';

describe('security types', () => {
  it.each(Object.values(SecType))('%s reads as itself, in any case', (secType) => {
    expect(secTypeOf(secType)).toBe(secType);
    expect(secTypeOf(secType.toLowerCase())).toBe(secType);
  });

  it('property: a code IB does not know is a configuration error naming it', () => {
    const known = new Set<string>(Object.values(SecType));
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 8 }).filter((code) => !known.has(code.toUpperCase())),
        (code) => {
          expect(() => secTypeOf(code)).toThrow(`unknown IB security type '${code}'`);
        },
      ),
    );
  });
});

describe('contracts', () => {
  it.each(DEFAULT_INSTRUMENTS.map((i) => [i.symbol, i] as const))('the order contract of %s is a USD future on its exchange and month', (symbol, instrument) => {
    const expiry = instrument.lastTradeDateOrContractMonth.slice(0, 6);
    expect(futureContract(symbol, { exchange: instrument.exchange, expiry })).toEqual({
      symbol,
      secType: SecType.FUT,
      exchange: instrument.exchange,
      currency: 'USD',
      lastTradeDateOrContractMonth: expiry,
    });
  });

  it('a future without a month or exchange asks for every listed month (contract-month lookups)', () => {
    expect(futureContract('ZC')).toEqual({ symbol: 'ZC', secType: SecType.FUT, currency: 'USD' });
  });

  it('a symbol with no configured fields is requested as a USD future on no particular exchange', () => {
    expect(contractOf('ES')).toEqual({ symbol: 'ES', secType: SecType.FUT, exchange: '', currency: 'USD' });
  });

  it('configured fields are carried over; the symbol defaults to the key and the multiplier becomes a number', () => {
    expect(
      contractOf('SPX', { secType: 'ind', exchange: 'CBOE', currency: 'USD', multiplier: '100', conId: 416904, localSymbol: 'SPX', tradingClass: 'SPX' }),
    ).toEqual({ symbol: 'SPX', secType: SecType.IND, exchange: 'CBOE', currency: 'USD', multiplier: 100, conId: 416904, localSymbol: 'SPX', tradingClass: 'SPX' });
    expect(contractOf('MES', { symbol: 'ES', secType: 'FUT', exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' })).toEqual({
      symbol: 'ES',
      secType: SecType.FUT,
      exchange: 'CME',
      currency: 'USD',
      lastTradeDateOrContractMonth: '202703',
    });
  });
});
