import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_EXCHANGES, DEFAULT_TICK_SIZES, tickSizeFor } from '../../src/instruments/defaultFutures.ts';
import { DEFAULT_INSTRUMENTS } from '../../src/instruments/instruments.ts';
import { InstrumentCatalogue } from '../../src/instruments/catalogue.ts';

describe('default futures', () => {
  it.each(DEFAULT_INSTRUMENTS.map((i) => [i.symbol, i] as const))('%s: the runtime routes and ticks it as the simulator lists it', (symbol, instrument) => {
    expect(DEFAULT_EXCHANGES[symbol]).toBe(instrument.exchange);
    expect(DEFAULT_TICK_SIZES[symbol]).toBe(instrument.tickSize);
    expect(new InstrumentCatalogue(DEFAULT_INSTRUMENTS).bySymbolName(symbol)?.tickSize).toBe(tickSizeFor(symbol));
  });

  it('property: a configured tick size wins over the table, the table over the wildcard, the wildcard over 0.01', () => {
    const symbols = fc.constantFrom(...DEFAULT_INSTRUMENTS.map((i) => i.symbol), 'XYZ', 'QQ1');
    const tick = fc.double({ min: 1e-6, max: 100, noNaN: true });
    fc.assert(
      fc.property(symbols, fc.option(tick, { nil: undefined }), fc.option(tick, { nil: undefined }), (symbol, own, wildcard) => {
        const overrides = { ...(own !== undefined ? { [symbol]: own } : {}), ...(wildcard !== undefined ? { '*': wildcard } : {}) };
        expect(tickSizeFor(symbol, overrides)).toBe(own ?? DEFAULT_TICK_SIZES[symbol] ?? wildcard ?? 0.01);
      }),
    );
  });
});
