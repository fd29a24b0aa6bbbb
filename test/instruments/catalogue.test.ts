import { describe, expect, it } from 'vitest';
import { InstrumentCatalogue } from '../../src/instruments/catalogue.ts';
import { DEFAULT_INSTRUMENTS, type InstrumentConfig } from '../../src/instruments/instruments.ts';

const MONDAY = Date.parse('2026-12-07T15:00:00Z');
/** A crude-like product the futures calendar does not know: one contract, its month given by the row. */
const CUSTOM: InstrumentConfig = { symbol: 'XB', conId: 900_000_001, exchange: 'NYMEX', currency: 'USD', multiplier: 42_000, tickSize: 0.0001, lastTradeDateOrContractMonth: '20270129', contractMonth: '202703', localSymbol: 'XBH7', tradingClass: 'XB', initialPrice: 2.1, initialMargin: 6_000, maintenanceMargin: 5_500 };

describe('InstrumentCatalogue', () => {
  it('a product the calendar does not know is one contract in the month its row gives, always open', () => {
    const catalogue = new InstrumentCatalogue([CUSTOM], undefined, MONDAY);
    const [only] = catalogue.listed();
    expect(only).toMatchObject({ symbol: 'XB', contractMonth: '202703', lastTradeDateOrContractMonth: '20270129' });
    expect(catalogue.match({ symbol: 'XB', lastTradeDateOrContractMonth: '202703' })).toEqual([only]);
    expect(catalogue.match({ symbol: 'XB', lastTradeDateOrContractMonth: '202701' })).toEqual([]);
    expect(catalogue.match({ symbol: 'XB', lastTradeDateOrContractMonth: '20270129' })).toEqual([only]);
    expect(catalogue.isOpen(only!)).toBe(true);
  });

  it('without a contractMonth, a row is in its last trade date\'s month', () => {
    const { contractMonth: _month, ...plain } = CUSTOM;
    expect(new InstrumentCatalogue([plain], undefined, MONDAY).listed()[0]?.contractMonth).toBe('202701');
  });

  it('the default CL row is CLG7: contract month 202702, trading ends 20 January', () => {
    const catalogue = new InstrumentCatalogue(DEFAULT_INSTRUMENTS, undefined, MONDAY);
    expect(catalogue.bySymbolName('CL')).toMatchObject({ contractMonth: '202702', lastTradeDateOrContractMonth: '20270120' });
    expect(catalogue.resolve({ symbol: 'CL', lastTradeDateOrContractMonth: '202702' })).toMatchObject({ conId: 212921504, localSymbol: 'CLG7' });
  });

  it('derived conIds never collide across the listing', () => {
    const catalogue = new InstrumentCatalogue(DEFAULT_INSTRUMENTS, undefined, MONDAY);
    const conIds = catalogue.listed().map((i) => i.conId);
    expect(new Set(conIds).size).toBe(conIds.length);
  });
});
