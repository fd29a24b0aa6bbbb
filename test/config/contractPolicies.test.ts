import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { DEFAULT_CONTRACT_POLICY, policyFor } from '../../src/contracts/index.ts';
import { configErrorOf } from './configFixture.ts';

const withContracts = (contracts: unknown) => () => loadConfig({ env: {}, overrides: { marketData: { contracts: contracts as never } } });

describe('marketData.contracts: the contract month each symbol trades and is subscribed in', () => {
  it('takes front, an explicit month and roll rules, `*` for the rest; absent, every symbol rolls 5 business days before first notice (else last trade)', () => {
    const contracts = { ES: 'front', ZN: '202703', CL: { roll: { businessDaysBefore: 5, from: 'firstNotice' } }, '*': { roll: { businessDaysBefore: 3, from: 'lastTrade' } } };
    const config = withContracts(contracts)();
    expect(config.marketData.contracts).toEqual(contracts);
    expect(policyFor(config.marketData.contracts, 'ES')).toBe('front');
    expect(policyFor(config.marketData.contracts, 'NQ')).toEqual({ roll: { businessDaysBefore: 3, from: 'lastTrade' } });
    const defaults = loadConfig({ env: {} });
    expect(policyFor(defaults.marketData.contracts, 'GC')).toEqual(DEFAULT_CONTRACT_POLICY);
    expect(DEFAULT_CONTRACT_POLICY).toEqual({ roll: { businessDaysBefore: 5, from: 'firstNotice' } });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown rule origin', { CL: { roll: { businessDaysBefore: 5, from: 'expiry' } } }, 'marketData.contracts.CL.roll.from', /must be one of lastTrade, firstNotice/],
    ['a negative day count', { CL: { roll: { businessDaysBefore: -1, from: 'lastTrade' } } }, 'marketData.contracts.CL.roll.businessDaysBefore', /must not be negative/],
    ['a fractional day count', { CL: { roll: { businessDaysBefore: 1.5, from: 'lastTrade' } } }, 'marketData.contracts.CL.roll.businessDaysBefore', /whole number of business days/],
    ['a month 13', { ZN: '202713' }, 'marketData.contracts.ZN', /must be 'front', a contract month 'YYYYMM' or \{ roll/],
    ['a last trade date for a month', { ZN: '20270319' }, 'marketData.contracts.ZN', /must be 'front', a contract month 'YYYYMM'/],
    ['a number', { ZN: 202703 }, 'marketData.contracts.ZN', /must be 'front'/],
    ['a misspelt key', { CL: { rol: { businessDaysBefore: 5, from: 'lastTrade' } } }, 'marketData.contracts.CL', /Unrecognized key/],
  ])('refuses %s, naming the key', (_what, contracts, path, message) => {
    const error = configErrorOf(withContracts(contracts));
    const issue = error.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(error.issues)).toBeDefined();
    expect(`${issue!.path}: ${issue!.problem}`).toMatch(message);
    expect(issue!.source).toBe('command-line overrides');
  });

  it('accepts every whole number of business days from 0 to 60 and refuses any text that is not front or a real month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.constantFrom('lastTrade', 'firstNotice'), (businessDaysBefore, from) => {
        expect(withContracts({ GC: { roll: { businessDaysBefore, from } } })().marketData.contracts).toEqual({ GC: { roll: { businessDaysBefore, from } } });
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }).filter((text) => text !== 'front' && !/^\d{4}(0[1-9]|1[0-2])$/.test(text)), (text) => {
        expect(configErrorOf(withContracts({ GC: text })).issues.map((i) => i.path)).toEqual(['marketData.contracts.GC']);
      }),
      { numRuns: 60 },
    );
  });
});
