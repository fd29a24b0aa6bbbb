import { describe, expect, it } from 'vitest';
import { DEMO_REGULATORY_CONFIG, regulatoryConfigSchema } from '../../../src/regulatory/regulatoryConfig.ts';

const problemsOf = (value: unknown): string[] => {
  const parsed = regulatoryConfigSchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the regulatory config block', () => {
  it('accepts the demo values', () => {
    expect(problemsOf(DEMO_REGULATORY_CONFIG)).toEqual([]);
  });

  it('names each bad field', () => {
    const bad = {
      ...DEMO_REGULATORY_CONFIG,
      reportingFirm: 'TWDX',
      format: 'xml',
      accounts: [
        { id: 'A', carriedBy: 'IB', specialAccountNumber: 'TOO-LONG-ACCOUNT' },
        { id: 'A', carriedBy: 'IB', controllerLei: '5493000TWDEMO0000X24' },
      ],
      trader: { ...DEMO_REGULATORY_CONFIG.trader, traderType: 'robot', contact: { ...DEMO_REGULATORY_CONFIG.trader.contact, email: 'nope' } },
    };
    expect(problemsOf(bad)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^reportingFirm: must be 3 characters/),
        expect.stringMatching(/^format: /),
        expect.stringMatching(/^accounts\.0\.specialAccountNumber: must be 1-12 characters/),
        expect.stringMatching(/^accounts\.1\.controllerLei: must be a 20-character ISO 17442 LEI/),
        expect.stringMatching(/^accounts\.1\.id: duplicate account 'A'/),
        expect.stringMatching(/^trader\.traderType: /),
        expect.stringMatching(/^trader\.contact\.email: /),
      ]),
    );
  });
});
