import { describe, expect, it } from 'vitest';
import { DuplicateInstrumentError, InstrumentRegistry } from '../../../src/marketdata/instrumentRegistry.ts';
import { DEFAULT_MARKET_DATA_CONFIG, instrumentSettings, marketDataSchema, parseMarketDataConfig, sourceSettingsFor } from '../../../src/marketdata/marketDataConfig.ts';

describe('market data config', () => {
  it('fills defaults and applies per-instrument and per-source overrides', () => {
    const config = parseMarketDataConfig({
      sourceRules: { ib: { weight: 3, timeoutMs: 200 } },
      instruments: { ES: {}, CL: { allowNonPositive: true, method: 'median', sourceRules: { ib: { weight: 5 } } } },
    });
    expect(instrumentSettings(config, 'ES')).toEqual(DEFAULT_MARKET_DATA_CONFIG.defaults);
    expect(instrumentSettings(config, 'CL')).toMatchObject({ allowNonPositive: true, method: 'median', maxPriceSpike: 8 });
    expect(sourceSettingsFor(config, 'CL', 'ib')).toEqual({ weight: 5, timeoutMs: 200 });
    expect(sourceSettingsFor(config, 'ES', 'ib')).toEqual({ weight: 3, timeoutMs: 200 });
    expect(sourceSettingsFor(config, 'ES', 'other')).toEqual(DEFAULT_MARKET_DATA_CONFIG.defaultSourceRules);
  });

  it.each([
    [{ instruments: { ES: { maxPriceSpike: -1 } } }, 'marketData.instruments.ES.maxPriceSpike'],
    [{ instruments: { ES: { method: 'mean' } } }, 'marketData.instruments.ES.method'],
    [{ instruments: { ES: { spikeThreshold: 8 } } }, 'marketData.instruments.ES'],
    [{ sourceRules: { ib: { weight: 0, timeoutMs: 100 } } }, 'marketData.sourceRules.ib.weight'],
    [{ defaults: { maxAgeMs: 0 } }, 'marketData.defaults.maxAgeMs'],
    [{ outputs: { redis: { mode: 'kafka' } } }, 'marketData.outputs.redis.mode'],
  ])('names the offending key in validation errors (%j)', (input, key) => {
    expect(() => parseMarketDataConfig(input)).toThrow(key);
  });

  it('accepts the defaults as a complete block (what config/default.json carries)', () => {
    expect(marketDataSchema.parse(DEFAULT_MARKET_DATA_CONFIG)).toEqual(DEFAULT_MARKET_DATA_CONFIG);
  });
});

describe('InstrumentRegistry', () => {
  it('maps symbols to dense indexes in config order and back', () => {
    const registry = InstrumentRegistry.fromConfig(parseMarketDataConfig({ instruments: { ES: {}, NQ: {}, CL: {} } }));
    expect([registry.size, registry.indexOf('NQ'), registry.symbolOf(2), registry.indexOf('ZZ')]).toEqual([3, 1, 'CL', -1]);
    expect(() => registry.symbolOf(3)).toThrow(RangeError);
  });

  it('refuses a symbol twice', () => {
    expect(() => new InstrumentRegistry(['ES', 'ES'])).toThrow(DuplicateInstrumentError);
  });
});
