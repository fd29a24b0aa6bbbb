import { describe, expect, it } from 'vitest';
import { CftcReportEngine } from '../../../src/regulatory/cftc/cftcReportEngine.ts';
import { StaticPositionSource } from '../../../src/regulatory/positionSource.ts';
import { DEMO_REGULATORY_CONFIG, type RegulatoryConfig } from '../../../src/regulatory/regulatoryConfig.ts';
import { UnsupportedReportError, type ReportRequest } from '../../../src/regulatory/reportTypes.ts';
import { position, shippedLevelConfig } from './regulatoryFixture.ts';

const levelConfig = shippedLevelConfig();
const days = {
  '2026-03-02': [position('DU1234567', 'ZC', '202703', 300), position('DU1234567', 'ZC', '202705', -20), position('DU1234567', 'ES', '202703', 5)],
  '2026-03-03': [position('DU1234567', 'ZC', '202703', 100)],
  '2026-03-04': [position('DU1234567', 'ZC', '202703', 100)],
};
const request = (type: string, reportDate: string, params?: Record<string, unknown>): ReportRequest => ({
  jurisdiction: 'CFTC',
  type,
  reportDate,
  deadline: `${reportDate}T23:00:00.000Z`,
  ...(params ? { params } : {}),
});
const engine = (config: RegulatoryConfig = DEMO_REGULATORY_CONFIG, now = '2026-03-02T22:00:00.000Z'): CftcReportEngine =>
  new CftcReportEngine({ config, levelConfig, positions: new StaticPositionSource(days), now: () => new Date(now) });

describe('the CFTC report engine', () => {
  it('renders the day\'s large trader positions as 80-character records that validate', async () => {
    const [report, ...rest] = await engine().render(request('large_trader_positions', '2026-03-02'));
    expect(rest).toEqual([]);
    expect(report).toMatchObject({ jurisdiction: 'CFTC', type: 'large_trader_positions', reportDate: '2026-03-02', format: 'cftc80', fileName: 'TWD_20260302_LTR.txt', contentType: 'text/plain' });
    expect(report!.body).toBe(
      'RPTWD  000DU1234567' + '20260302' + '01' + ' ' + 'C    ' + '202703  ' + ' '.repeat(8) + '0000300' + '0000000' + ' '.repeat(14) + 'A\n' +
      'RPTWD  000DU1234567' + '20260302' + '01' + ' ' + 'C    ' + '202705  ' + ' '.repeat(8) + '0000000' + '0000020' + ' '.repeat(14) + 'A\n',
    );
    expect(engine().validate(report!)).toEqual([]);
  });

  it('renders the drop-off on the first day below the level, then nothing', async () => {
    const [dropOff] = await engine().render(request('large_trader_positions', '2026-03-03'));
    expect(dropOff!.body.split('\n').filter(Boolean).map((line) => `${line.slice(35, 41)} ${line.slice(51, 58)} ${line.slice(58, 65)}`)).toEqual(['202703 0000100 0000000', '202705 0000000 0000000']);
    expect(await engine().render(request('large_trader_positions', '2026-03-04'))).toEqual([]);
  });

  it('renders Appendix C JSON when config or params choose it', async () => {
    const [fromParams] = await engine().render(request('large_trader_positions', '2026-03-02', { format: 'appendixC' }));
    const [fromConfig] = await engine({ ...DEMO_REGULATORY_CONFIG, format: 'appendixC' }).render(request('large_trader_positions', '2026-03-02'));
    expect(fromParams).toMatchObject({ format: 'cftc-appendix-c-json', fileName: 'TWD_20260302_LTR.json', contentType: 'application/json' });
    expect(fromConfig!.id).toBe(fromParams!.id);
    expect(engine().validate(fromParams!)).toEqual([]);
    expect(JSON.parse(fromParams!.body).positionReports).toHaveLength(2);
  });

  it('gives a replay the same id, even rendered at another time, and other content another id', async () => {
    const first = await engine(DEMO_REGULATORY_CONFIG, '2026-03-02T22:00:00.000Z').render(request('large_trader_positions', '2026-03-02', { format: 'appendixC' }));
    const replay = await engine(DEMO_REGULATORY_CONFIG, '2026-03-05T09:00:00.000Z').render(request('large_trader_positions', '2026-03-02', { format: 'appendixC' }));
    expect(replay[0]!.id).toBe(first[0]!.id);
    expect(replay[0]!.id).toMatch(/^cftc-large-trader-positions-2026-03-02-[0-9a-f]{20}$/);
    const cftc80 = await engine().render(request('large_trader_positions', '2026-03-02'));
    const dropOff = await engine().render(request('large_trader_positions', '2026-03-03'));
    expect(new Set([first[0]!.id, cftc80[0]!.id, dropOff[0]!.id]).size).toBe(3);
  });

  it('renders a Form 40 pack from config and the day\'s positions', async () => {
    const [pack] = await engine().render(request('form40', '2026-03-02'));
    expect(pack).toMatchObject({ format: 'form40-json', fileName: 'FORM40_20260302.json' });
    const body = JSON.parse(pack!.body);
    expect(body.trader.name).toBe(DEMO_REGULATORY_CONFIG.trader.name);
    expect(body.accounts[0]).toMatchObject({ accountId: 'DU1234567', reportableIn: ['Corn'] });
    expect(body.accounts[0].positions).toHaveLength(3);
    expect(engine().validate(pack!)).toEqual([]);
    expect(engine().validate({ ...pack!, body: JSON.stringify({ ...body, asOf: '2026-02-30' }) })).toEqual(['asOf: must be a date YYYY-MM-DD']);
  });

  it('refuses swap data reports with the reason, and unknown types', async () => {
    await expect(engine().render(request('swap_data', '2026-03-02'))).rejects.toThrow(UnsupportedReportError);
    await expect(engine().render(request('swap_data', '2026-03-02'))).rejects.toThrow(/'swap_data' is not supported: swap data reports \(17 CFR Part 45\).*hold no swaps/);
    await expect(engine().render(request('cot', '2026-03-02'))).rejects.toThrow(/'cot' is not supported: unknown report type/);
    await expect(engine().render({ ...request('form40', '2026-03-02'), jurisdiction: 'NFA' })).rejects.toThrow(UnsupportedReportError);
  });

  it('says what is wrong with a request or with config, naming the field', async () => {
    await expect(engine().render(request('large_trader_positions', '2026-13-01'))).rejects.toThrow(/reportDate '2026-13-01' must be a date/);
    await expect(engine().render(request('large_trader_positions', '2026-03-02', { format: 'xml' }))).rejects.toThrow(/large_trader_positions params\.format/);
    await expect(engine({ ...DEMO_REGULATORY_CONFIG, accounts: [] }).render(request('large_trader_positions', '2026-03-02'))).rejects.toThrow(
      /account 'DU1234567' holds a reportable position but is not in regulatory.accounts/,
    );
    const noLei = { ...DEMO_REGULATORY_CONFIG, accounts: [{ id: 'DU1234567', carriedBy: 'IB' }] };
    await expect(engine(noLei).render(request('large_trader_positions', '2026-03-02', { format: 'appendixC' }))).rejects.toThrow(/'DU1234567'\.controllerLei is required/);
  });

  it('reports validation problems of a broken file and of an unknown format', async () => {
    const [report] = await engine().render(request('large_trader_positions', '2026-03-02'));
    expect(engine().validate({ ...report!, body: report!.body.replace('RPTWD', 'XXTWD') })).toEqual([expect.stringMatching(/^record 1: Report Type/)]);
    expect(engine().validate({ ...report!, format: 'csv' })).toEqual([expect.stringMatching(/unknown format 'csv'/)]);
  });
});
