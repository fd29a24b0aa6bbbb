import { describe, expect, it } from 'vitest';
import { contractMonthOf } from '../../../src/regulatory/cftc/positions/contractMonth.ts';
import { DEFAULT_INSTRUMENTS } from '../../../src/instruments/instruments.ts';

describe('the delivery month of a future', () => {
  it('reads it from the month code, not from the last trading day', () => {
    // CLG7 is February 2027 crude, whose last trading day is in January.
    expect(contractMonthOf({ localSymbol: 'CLG7', lastTradeDateOrContractMonth: '20270120' })).toBe('202702');
    expect(contractMonthOf({ localSymbol: 'ESH7', lastTradeDateOrContractMonth: '20270319' })).toBe('202703');
  });

  it('reads the CBOT style month name', () => {
    expect(contractMonthOf({ localSymbol: 'ZN   MAR 27', lastTradeDateOrContractMonth: '20270319' })).toBe('202703');
  });

  it('rolls a one-digit year into the next decade when needed', () => {
    expect(contractMonthOf({ localSymbol: 'CLF0', lastTradeDateOrContractMonth: '20291119' })).toBe('203001');
  });

  it('falls back to the contract month when the local symbol has no month', () => {
    expect(contractMonthOf({ localSymbol: 'XYZ', lastTradeDateOrContractMonth: '202612' })).toBe('202612');
  });

  it('gives every simulator instrument a month', () => {
    for (const instrument of DEFAULT_INSTRUMENTS) {
      expect(contractMonthOf({ localSymbol: instrument.localSymbol, lastTradeDateOrContractMonth: instrument.lastTradeDateOrContractMonth })).toMatch(/^2027(0[1-3])$/);
    }
  });
});
