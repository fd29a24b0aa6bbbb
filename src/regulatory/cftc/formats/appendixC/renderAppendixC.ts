import { sha256Hex } from '../../../reportId.ts';
import type { PositionLine } from '../../rules/largeTraderRules.ts';
import { appendixCFileSchema, type AppendixCFile, type AppendixCPositionReport } from './appendixCSchema.ts';

export interface AppendixCContext {
  reportDate: string;
  reportingFirm: string;
  /** Appendix C element 10 for each account: the special account controller's LEI. */
  controllerLeiOf: (account: string) => string;
  accountIdOf: (account: string) => string;
  transmitDatetime: string;
}

/** Element 6: deterministic, so a re-render of the same day gives each position report the same id. */
function positionReportId(reportDate: string, line: PositionLine): string {
  return sha256Hex([reportDate, line.account, line.market.key, line.contractMonth].join('|')).slice(0, 32);
}

/** The position reports of a day, without the file header. */
export function appendixCPositionReports(lines: readonly PositionLine[], context: AppendixCContext): AppendixCPositionReport[] {
  return lines.map((line) => ({
    reportId: positionReportId(context.reportDate, line),
    recordType: 'New',
    reportDate: context.reportDate,
    reportingFirmId: context.reportingFirm,
    specialAccountControllerLei: context.controllerLeiOf(line.account),
    accountId: context.accountIdOf(line.account),
    exchangeIndicator: line.market.exchange,
    commodityClearingCode: line.market.commodityCode,
    productType: 'FUT',
    tickerSymbol: line.symbol,
    maturityMonthYear: line.contractMonth,
    maturityTime: null,
    listingDate: null,
    firstExerciseDate: null,
    strikeLevel: null,
    alphaStrike: null,
    capLevel: null,
    floorLevel: null,
    boundOrBarrierType: null,
    longQuantity: line.long,
    shortQuantity: line.short,
  }));
}

/** A whole Appendix C file, checked against its schema before it leaves. */
export function renderAppendixC(lines: readonly PositionLine[], context: AppendixCContext): AppendixCFile {
  const positionReports = appendixCPositionReports(lines, context);
  return appendixCFileSchema.parse({
    totalMessageCount: positionReports.length,
    messageType: 'PosRpt',
    senderId: context.reportingFirm,
    toId: 'CFTC',
    transmitDatetime: context.transmitDatetime,
    positionReports,
  });
}
