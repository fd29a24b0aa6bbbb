import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLevelConfig } from '../../../src/regulatory/cftc/levels/loadLevelConfig.ts';
import { DEFAULT_INSTRUMENTS } from '../../../src/instruments/instruments.ts';
import { shippedLevelConfig } from './regulatoryFixture.ts';

describe('the 17 CFR 15.03(b) reportable levels table', () => {
  const { levels } = shippedLevelConfig();

  it.each([
    ['Corn', 250],
    ['Wheat', 150],
    ['Soybeans', 150],
    ['S&P 500 Stock Price Index', 1000],
    ['Other Broad-Based Securities Indexes', 200],
    ['10-Year U.S. Treasury Notes', 2000],
    ['30-Year U.S. Treasury Bonds', 1500],
    ['Major Foreign Currencies', 400],
    ['Crude Oil, Sweet', 350],
    ['Gold', 200],
    ['All Other Commodities', 25],
  ])('lists %s at %i contracts', (commodity, contracts) => {
    expect(levels.row(commodity).contracts).toBe(contracts);
  });

  it('falls back to All Other Commodities, and refuses a row it does not have', () => {
    expect(levels.rowOrFallback(undefined).commodity).toBe('All Other Commodities');
    expect(() => levels.row('Bitcoin')).toThrow(/'Bitcoin' is not a row of the 17 CFR 15.03\(b\) table/);
  });
});

describe('the instrument map', () => {
  const { instruments } = shippedLevelConfig();

  it('maps every instrument of the simulator', () => {
    for (const instrument of DEFAULT_INSTRUMENTS) expect(instruments.has(instrument.symbol), instrument.symbol).toBe(true);
  });

  it.each([
    ['ES', 'S&P 500 Stock Price Index', 1000, '02'],
    ['NQ', 'Other Broad-Based Securities Indexes', 200, '02'],
    ['ZN', '10-Year U.S. Treasury Notes', 2000, '01'],
    ['ZB', '30-Year U.S. Treasury Bonds', 1500, '01'],
    ['CL', 'Crude Oil, Sweet', 350, '12'],
    ['GC', 'Gold', 200, '07'],
    ['ZC', 'Corn', 250, '01'],
    ['ZW', 'Wheat', 150, '01'],
    ['6E', 'Major Foreign Currencies', 400, '02'],
  ])('puts %s in the row %s (%i contracts), exchange code %s', (symbol, row, contracts, exchangeCode) => {
    const market = instruments.marketOf(symbol);
    expect(market.level.commodity).toBe(row);
    expect(market.level.contracts).toBe(contracts);
    expect(market.exchangeCode).toBe(exchangeCode);
  });

  it('refuses an instrument it does not map, naming it', () => {
    expect(() => instruments.marketOf('BTC')).toThrow(/instrument 'BTC' has no entry/);
  });
});

describe('loading the level config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-levels-'));
  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  const table = { regulation: '17 CFR 15.03(b)', fallbackRow: 'All Other Commodities', rows: [{ group: 'A', commodity: 'Corn', contracts: 250 }, { group: 'B', commodity: 'All Other Commodities', contracts: 25 }] };

  it('uses the fallback row for an instrument that names none', () => {
    const config = loadLevelConfig(write('t1.json', table), write('m1.json', { instruments: { XX: { exchange: 'CME', exchangeCode: '02', commodityCode: 'XX' } } }));
    expect(config.instruments.marketOf('XX').level.contracts).toBe(25);
  });

  it('names the file and the key of a bad value', () => {
    const bad = { ...table, rows: [{ group: 'A', commodity: 'Corn', contracts: -1 }, table.rows[1]] };
    const path = write('t2.json', bad);
    expect(() => loadLevelConfig(path, write('m2.json', { instruments: {} }))).toThrow(new RegExp(`${path}: rows\\.0\\.contracts`));
  });

  it('names the instrument whose row is not in the table', () => {
    const mapPath = write('m3.json', { instruments: { ZC: { levelRow: 'Maize', exchange: 'CBOT', exchangeCode: '01', commodityCode: 'C' } } });
    expect(() => loadLevelConfig(write('t3.json', table), mapPath)).toThrow(/instruments\.ZC\.levelRow: 'Maize' is not a row/);
  });

  it('refuses a table whose fallback row is missing, and a map with a bad exchange code', () => {
    expect(() => loadLevelConfig(write('t4.json', { ...table, fallbackRow: 'Other' }), write('m4.json', { instruments: {} }))).toThrow(/fallbackRow: fallback row 'Other' is not in rows/);
    expect(() => loadLevelConfig(write('t5.json', table), write('m5.json', { instruments: { ES: { exchange: 'CME', exchangeCode: 'CME', commodityCode: 'ES' } } }))).toThrow(
      /instruments\.ES\.exchangeCode: must be two characters/,
    );
  });

  it('says when a file is not JSON', () => {
    const path = write('t6.json', '{ nope');
    expect(() => loadLevelConfig(path, path)).toThrow(new RegExp(`${path}: not valid JSON`));
  });
});
