import { z } from 'zod';
import type { RegulatoryConfig, ReportAccount } from '../regulatoryConfig.ts';
import { LARGE_TRADER_FORMATS } from '../regulatoryConfig.ts';
import type { PositionSource } from '../positionSource.ts';
import { ReportContentError } from '../reportContentError.ts';
import { canonicalJson, reportIdOf } from '../reportId.ts';
import { UnsupportedReportError, type RenderedReport, type ReportEngine, type ReportRequest } from '../reportTypes.ts';
import { isIsoDay } from '../../shared/calendarDays.ts';
import { appendixCPositionReports, renderAppendixC } from './formats/appendixC/renderAppendixC.ts';
import { validateAppendixC } from './formats/appendixC/appendixCSchema.ts';
import { formatCftc80File, type Cftc80PositionRecord } from './formats/cftc80/formatRecord.ts';
import { validateCftc80File } from './formats/cftc80/validateRecord.ts';
import { buildForm40Pack, form40PackSchema } from './form40/form40Pack.ts';
import type { LevelConfig } from './levels/loadLevelConfig.ts';
import { decideLargeTraderReports, type PositionLine } from './rules/largeTraderRules.ts';
import { UNSUPPORTED_CFTC_TYPES } from './unsupportedTypes.ts';
import { formatIssues } from '../../shared/zodIssues.ts';

/** The file formats this engine renders, as named on a RenderedReport. */
export const CFTC_FORMATS = { cftc80: 'cftc80', appendixC: 'cftc-appendix-c-json', form40: 'form40-json' } as const;

const largeTraderParams = z.strictObject({ format: z.enum(LARGE_TRADER_FORMATS).optional() }).optional();
const form40Params = z.strictObject({ accounts: z.array(z.string().min(1)).min(1).optional() }).optional();

export interface CftcReportEngineDeps {
  config: RegulatoryConfig;
  levelConfig: LevelConfig;
  positions: PositionSource;
  /** The file creation time of Appendix C element 5; never part of a report's id. */
  now?: () => Date;
}

function parseParams<S extends z.ZodType>(schema: S, request: ReportRequest): z.output<S> {
  const parsed = schema.safeParse(request.params);
  if (parsed.success) return parsed.data;
  throw new ReportContentError(`${request.type} ${formatIssues(parsed.error.issues, { style: 'dotted', under: 'params' })[0]}`);
}

/**
 * The CFTC's reports as tradewire makes them: the daily large trader position file (17 CFR 17.00,
 * in the 80-character or the Appendix C format) and the Form 40 pack (18.04) for a special call.
 * Content only: the pipeline submits the files and tracks their acknowledgement.
 */
export class CftcReportEngine implements ReportEngine {
  readonly jurisdiction = 'CFTC' as const;
  private readonly accounts: ReadonlyMap<string, ReportAccount>;
  private readonly now: () => Date;

  constructor(private readonly deps: CftcReportEngineDeps) {
    this.accounts = new Map(deps.config.accounts.map((account) => [account.id, account]));
    this.now = deps.now ?? (() => new Date());
  }

  async render(request: ReportRequest): Promise<RenderedReport[]> {
    if (request.jurisdiction !== 'CFTC') throw new UnsupportedReportError(request.jurisdiction, request.type, 'the CFTC engine renders CFTC reports only');
    if (!isIsoDay(request.reportDate)) throw new ReportContentError(`reportDate '${request.reportDate}' must be a date YYYY-MM-DD`);
    if (request.type === 'large_trader_positions') return this.largeTraderPositions(request);
    if (request.type === 'form40') return [await this.form40(request)];
    const reason = UNSUPPORTED_CFTC_TYPES[request.type] ?? `unknown report type; this engine renders 'large_trader_positions' and 'form40'`;
    throw new UnsupportedReportError('CFTC', request.type, reason);
  }

  validate(report: RenderedReport): string[] {
    switch (report.format) {
      case CFTC_FORMATS.cftc80:
        return validateCftc80File(report.body, { exchangeCodes: this.deps.levelConfig.instruments.exchangeCodes() });
      case CFTC_FORMATS.appendixC:
        return validateAppendixC(report.body);
      case CFTC_FORMATS.form40: {
        let value: unknown;
        try {
          value = JSON.parse(report.body);
        } catch (error) {
          return [`not valid JSON: ${(error as Error).message}`];
        }
        const parsed = form40PackSchema.safeParse(value);
        return parsed.success ? [] : formatIssues(parsed.error.issues, { style: 'dotted' });
      }
      default:
        return [`unknown format '${report.format}': the CFTC engine knows ${Object.values(CFTC_FORMATS).join(', ')}`];
    }
  }

  private account(id: string): ReportAccount {
    const account = this.accounts.get(id);
    if (!account) throw new ReportContentError(`account '${id}' holds a reportable position but is not in regulatory.accounts: add it with its special account number`);
    return account;
  }

  private async largeTraderPositions(request: ReportRequest): Promise<RenderedReport[]> {
    const format = parseParams(largeTraderParams, request)?.format ?? this.deps.config.format;
    const source = this.deps.positions;
    const previousDay = await source.previousTradingDay(request.reportDate);
    const decision = decideLargeTraderReports(
      {
        reportDate: request.reportDate,
        positions: await source.closingPositions(request.reportDate),
        previousPositions: previousDay ? await source.closingPositions(previousDay) : [],
      },
      this.deps.levelConfig.instruments,
    );
    if (decision.lines.length === 0) return [];
    return [format === 'cftc80' ? this.cftc80File(request, decision.lines) : this.appendixCFile(request, decision.lines)];
  }

  private cftc80File(request: ReportRequest, lines: readonly PositionLine[]): RenderedReport {
    const { reportingFirm } = this.deps.config;
    const records: Cftc80PositionRecord[] = lines.map((line) => ({
      reportingFirm,
      accountNumber: this.specialAccountNumber(line.account),
      reportDate: request.reportDate,
      exchangeCode: line.market.exchangeCode,
      commodityCode: line.market.commodityCode,
      contractMonth: line.contractMonth,
      long: line.long,
      short: line.short,
      recordType: 'A',
    }));
    const body = formatCftc80File(records);
    return this.rendered(request, CFTC_FORMATS.cftc80, body, body, `${reportingFirm}_${request.reportDate.replaceAll('-', '')}_LTR.txt`, 'text/plain');
  }

  private appendixCFile(request: ReportRequest, lines: readonly PositionLine[]): RenderedReport {
    const context = {
      reportDate: request.reportDate,
      reportingFirm: this.deps.config.reportingFirm,
      accountIdOf: (id: string) => this.specialAccountNumber(id),
      controllerLeiOf: (id: string) => {
        const lei = this.account(id).controllerLei;
        if (!lei) throw new ReportContentError(`regulatory.accounts '${id}'.controllerLei is required for the appendixC format (Appendix C to Part 17, element 10)`);
        return lei;
      },
      transmitDatetime: this.now().toISOString(),
    };
    const file = renderAppendixC(lines, context);
    // The id leaves out the creation time: the same positions are the same report, whenever rendered.
    const content = canonicalJson(appendixCPositionReports(lines, context));
    const fileName = `${context.reportingFirm}_${request.reportDate.replaceAll('-', '')}_LTR.json`;
    return this.rendered(request, CFTC_FORMATS.appendixC, `${JSON.stringify(file, null, 2)}\n`, content, fileName, 'application/json');
  }

  private async form40(request: ReportRequest): Promise<RenderedReport> {
    const wanted = parseParams(form40Params, request)?.accounts;
    const accounts = wanted ? wanted.map((id) => this.account(id)) : this.deps.config.accounts;
    const pack = buildForm40Pack({
      asOf: request.reportDate,
      trader: this.deps.config.trader,
      accounts,
      positions: await this.deps.positions.closingPositions(request.reportDate),
      instruments: this.deps.levelConfig.instruments,
    });
    const body = `${JSON.stringify(pack, null, 2)}\n`;
    return this.rendered(request, CFTC_FORMATS.form40, body, canonicalJson(pack), `FORM40_${request.reportDate.replaceAll('-', '')}.json`, 'application/json');
  }

  private specialAccountNumber(id: string): string {
    return this.account(id).specialAccountNumber ?? id;
  }

  private rendered(request: ReportRequest, format: string, body: string, content: string, fileName: string, contentType: string): RenderedReport {
    return {
      id: reportIdOf({ jurisdiction: 'CFTC', type: request.type, format, reportDate: request.reportDate, content }),
      jurisdiction: 'CFTC',
      type: request.type,
      reportDate: request.reportDate,
      format,
      fileName,
      contentType,
      body,
    };
  }
}
