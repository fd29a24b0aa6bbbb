import { describe, expect, it } from 'vitest';
import { appendixCFileSchema, validateAppendixC } from '../../../src/regulatory/cftc/formats/appendixC/appendixCSchema.ts';
import { renderAppendixC } from '../../../src/regulatory/cftc/formats/appendixC/renderAppendixC.ts';
import { isValidLei } from '../../../src/regulatory/cftc/formats/lei.ts';
import { decideLargeTraderReports } from '../../../src/regulatory/cftc/rules/largeTraderRules.ts';
import { position, shippedLevelConfig } from './regulatoryFixture.ts';

const { instruments } = shippedLevelConfig();
const LEI = '5493000TWDEMO0000X23';
const lines = decideLargeTraderReports({ reportDate: '2026-06-03', positions: [position('DU1', 'ZN', '202706', -2500), position('DU1', 'ZN', '202709', 40)], previousPositions: [] }, instruments).lines;
const context = { reportDate: '2026-06-03', reportingFirm: 'TWD', controllerLeiOf: () => LEI, accountIdOf: (a: string) => a, transmitDatetime: '2026-06-03T22:00:00.000Z' };

describe('Appendix C to Part 17 as JSON', () => {
  it('renders the data elements of every position report', () => {
    const file = renderAppendixC(lines, context);
    expect(file).toMatchObject({ totalMessageCount: 2, messageType: 'PosRpt', senderId: 'TWD', toId: 'CFTC', transmitDatetime: '2026-06-03T22:00:00.000Z' });
    expect(file.positionReports[0]).toEqual({
      reportId: expect.stringMatching(/^[0-9a-f]{32}$/),
      recordType: 'New',
      reportDate: '2026-06-03',
      reportingFirmId: 'TWD',
      specialAccountControllerLei: LEI,
      accountId: 'DU1',
      exchangeIndicator: 'CBOT',
      commodityClearingCode: '21',
      productType: 'FUT',
      tickerSymbol: 'ZN',
      maturityMonthYear: '202706',
      maturityTime: null,
      listingDate: null,
      firstExerciseDate: null,
      strikeLevel: null,
      alphaStrike: null,
      capLevel: null,
      floorLevel: null,
      boundOrBarrierType: null,
      longQuantity: 0,
      shortQuantity: 2500,
    });
    expect(file.positionReports[1]).toMatchObject({ maturityMonthYear: '202709', longQuantity: 40, shortQuantity: 0 });
  });

  it('gives each position report the same id on every render', () => {
    const again = renderAppendixC(lines, { ...context, transmitDatetime: '2026-06-04T01:00:00.000Z' });
    expect(again.positionReports.map((r) => r.reportId)).toEqual(renderAppendixC(lines, context).positionReports.map((r) => r.reportId));
    expect(new Set(again.positionReports.map((r) => r.reportId)).size).toBe(2);
  });

  it('validates against its schema', () => {
    expect(validateAppendixC(JSON.stringify(renderAppendixC(lines, context)))).toEqual([]);
  });

  it('names each element that is wrong', () => {
    const file = renderAppendixC(lines, context);
    const broken = { ...file, totalMessageCount: 3, toId: 'SEC', positionReports: [{ ...file.positionReports[0], specialAccountControllerLei: '5493000TWDEMO0000X24', maturityMonthYear: '2026-06' }, file.positionReports[1]] };
    const problems = validateAppendixC(JSON.stringify(broken));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^toId: /),
        expect.stringMatching(/^positionReports\.0\.specialAccountControllerLei: must be a 20-character ISO 17442 LEI/),
        expect.stringMatching(/^positionReports\.0\.maturityMonthYear: must be YYYYMM/),
      ]),
    );
    expect(validateAppendixC('{')).toEqual([expect.stringMatching(/^not valid JSON/)]);
    expect(validateAppendixC(JSON.stringify({ ...file, totalMessageCount: 5 }))).toEqual(['totalMessageCount: is 5 but the file holds 2 position reports']);
  });

  it('refuses to render a file its own schema rejects', () => {
    expect(() => renderAppendixC(lines, { ...context, controllerLeiOf: () => 'NOTALEI' })).toThrow();
    expect(appendixCFileSchema.safeParse({}).success).toBe(false);
  });
});

describe('LEI check digits', () => {
  it('accepts a valid LEI and refuses one with a wrong check digit or form', () => {
    expect(isValidLei(LEI)).toBe(true);
    expect(isValidLei('5493000TWDEMO0000X24')).toBe(false);
    expect(isValidLei('5493000twdemo0000x23')).toBe(false);
    expect(isValidLei('5493000TWDEMO0000X2')).toBe(false);
  });
});
