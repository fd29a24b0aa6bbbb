import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/shared/configError.ts';
import { checkIntervalOf, parseSourceConfigs } from '../../../src/marketdata/sources/sourceConfig.ts';

function problems(input: unknown): string[] {
  try {
    parseSourceConfigs(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.problem}`);
  }
  throw new Error('expected a ConfigError');
}

describe('market-data source config', () => {
  it('fills in defaults per kind', () => {
    const [ib, replay, synthetic, custom] = parseSourceConfigs([
      { kind: 'ib', id: 'ib', instruments: ['ES'] },
      { kind: 'replay', id: 'daily', instruments: ['ES'], file: 'config/samples/futures-daily.csv' },
      { kind: 'synthetic', id: 'demo', instruments: ['ES', 'NQ'] },
      { kind: 'custom', id: 'vendor', instruments: ['ES'], module: './adapters/vendor.ts' },
    ]);
    expect(ib).toMatchObject({ connection: 'ib', contracts: {}, genericTicks: '', maxAgeMs: 5_000, failAfterStaleMs: 60_000, breaker: {} });
    expect(replay).toMatchObject({ speed: 'max', loop: false, timestamps: 'replayTime' });
    expect(synthetic).toMatchObject({ seed: 1, drift: 0, volatility: 0.2, tickIntervalMs: 250, spreadBps: 2 });
    expect(custom).toMatchObject({ module: './adapters/vendor.ts', options: {} });
    expect(checkIntervalOf(ib!)).toBe(1_000);
    expect(checkIntervalOf({ ...ib!, checkIntervalMs: 70 })).toBe(70);
  });

  it('names the key of every bad value, under marketData.sources', () => {
    expect(
      problems([
        { kind: 'replay', id: 'r', instruments: ['ES'], file: 'x.csv', speed: -2, breaker: { failureRateThreshold: 150, typo: 1 } },
        { kind: 'telepathy', id: 'x', instruments: ['ES'] },
        { kind: 'synthetic', id: 'has space', instruments: [], outages: { everyMs: 1_000, forMs: 2_000 } },
        { kind: 'ib', id: 'ib', instruments: ['ES'], contracts: { ES: { lastTradeDateOrContractMonth: 'March' } }, maxAgeMs: 0 },
      ]),
    ).toEqual([
      'marketData.sources.0.breaker.failureRateThreshold: must be at most 100 (percent); got 150',
      'marketData.sources.0.breaker.typo: unknown key (check the spelling)',
      'marketData.sources.0.speed: must be above 0; got -2',
      expect.stringMatching(/^marketData\.sources\.1\.kind: .*'ib' \| 'replay' \| 'synthetic' \| 'custom'/),
      expect.stringMatching(/^marketData\.sources\.2\.id: must be letters, digits/),
      'marketData.sources.2.instruments: list at least one instrument; got []',
      'marketData.sources.2.outages.forMs: forMs must be shorter than everyMs; got 2000',
      expect.stringMatching(/^marketData\.sources\.3\.maxAgeMs: /),
      expect.stringMatching(/^marketData\.sources\.3\.contracts\.ES\.lastTradeDateOrContractMonth: must be YYYYMM or YYYYMMDD/),
    ]);
  });

  it('refuses two sources with the same id', () => {
    expect(problems([{ kind: 'synthetic', id: 'a', instruments: ['ES'] }, { kind: 'synthetic', id: 'a', instruments: ['NQ'] }])).toEqual([
      "marketData.sources.1.id: duplicate source id 'a'; got \"a\"",
    ]);
  });
});
