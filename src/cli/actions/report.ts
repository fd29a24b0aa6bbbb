import { writeFileSync } from 'node:fs';
import { CftcReportEngine } from '../../regulatory/cftc/cftcReportEngine.ts';
import { isIsoDay } from '../../shared/calendarDays.ts';
import { form40PackSchema } from '../../regulatory/cftc/form40/form40Pack.ts';
import { renderForm40Text } from '../../regulatory/cftc/form40/renderForm40Text.ts';
import { loadLevelConfig, type LevelConfig } from '../../regulatory/cftc/levels/loadLevelConfig.ts';
import type { PositionSource } from '../../regulatory/positionSource.ts';
import { PACKAGE_ROOT } from '../../packageRoot.ts';
import { DEMO_REGULATORY_CONFIG, LARGE_TRADER_FORMATS, type LargeTraderFormat, type RegulatoryConfig } from '../../regulatory/regulatoryConfig.ts';
import { RedisPositionSource } from '../../regulatory/sources/redisPositionSource.ts';
import { loadConfig } from '../../config/index.ts';
import { configuredKeys } from '../../redis/namespaceKeys.ts';
import type { RenderedReport, ReportRequest } from '../../regulatory/reportTypes.ts';
import { jsonFilePositionSource } from '../../regulatory/sources/jsonFilePositionSource.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';
import type { ReportCommandOptions } from '../commands/report.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface SourceOptions {
  positions?: string;
}

class ReportUsageError extends Error {
  override readonly name = 'ReportUsageError';
}

/** What `tradewire report` reads in the product: the loaded config's `regulatory` block, and the namespace's positions in Redis. */
export function configuredReportOptions(): ReportCommandOptions {
  return {
    regulatory: () => loadConfig().regulatory,
    positionSource: () => {
      const config = loadConfig();
      // The namespace's positions, as the runtime with this config writes them.
      return RedisPositionSource.connect(config.redis.url, configuredKeys(config).regulatoryPositionsPrefix);
    },
  };
}

const regulatoryOf = (options: ReportCommandOptions): RegulatoryConfig => options.regulatory?.() ?? DEMO_REGULATORY_CONFIG;

export function runReportLevels(flags: { json?: boolean }, deps: CliDeps, options: ReportCommandOptions): Promise<number> {
  return guarded(async () => printLevels(loadLevels(regulatoryOf(options)), Boolean(flags.json), deps), deps);
}

export function runReportPreview(flags: SourceOptions & { date: string; format?: string }, deps: CliDeps, options: ReportCommandOptions): Promise<number> {
  return guarded(async () => {
    const format = checkedFormat(flags.format);
    const date = checkedDate(flags.date);
    await withEngine(regulatoryOf(options), flags, options, async (engine) => {
      const rendered = await engine.render(requestFor('large_trader_positions', date, format ? { format } : undefined));
      if (rendered.length === 0) {
        deps.out(`no large trader report is due for ${flags.date}: no account is reportable, and none dropped below a level`);
        return;
      }
      printRendered(rendered, engine, deps);
    });
  }, deps);
}

export function runReportForm40(flags: SourceOptions & { date?: string; out?: string; json?: boolean }, deps: CliDeps, options: ReportCommandOptions): Promise<number> {
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const writeFile = options.writeFile ?? ((path: string, text: string) => writeFileSync(path, text));
  return guarded(async () => {
    const date = checkedDate(flags.date ?? today());
    await withEngine(regulatoryOf(options), flags, options, async (engine) => {
      const [pack] = await engine.render(requestFor('form40', date));
      const problems = engine.validate(pack!);
      if (problems.length) throw new Error(`the Form 40 pack does not validate: ${problems.join('; ')}`);
      if (flags.out) {
        writeFile(flags.out, pack!.body);
        deps.err(`wrote ${flags.out} (report id ${pack!.id})`);
      }
      deps.out(flags.json ? pack!.body.trimEnd() : renderForm40Text(form40PackSchema.parse(JSON.parse(pack!.body))).trimEnd());
    });
  }, deps);
}

async function guarded(action: () => Promise<void>, deps: CliDeps): Promise<number> {
  try {
    await action();
    return EXIT_OK;
  } catch (error) {
    deps.err(`error: ${errorMessage(error)}`);
    return error instanceof ReportUsageError ? EXIT_USAGE : EXIT_FAILED;
  }
}

function loadLevels(regulatory: RegulatoryConfig): LevelConfig {
  return loadLevelConfig(regulatory.levelsPath, regulatory.instrumentMapPath, PACKAGE_ROOT);
}

/** Runs `use` with an engine over the --positions file or the runtime's positions, closing the latter's connection after. */
async function withEngine<T>(regulatory: RegulatoryConfig, flags: SourceOptions, options: ReportCommandOptions, use: (engine: CftcReportEngine) => Promise<T>): Promise<T> {
  let positions: PositionSource & { close?(): Promise<void> };
  if (flags.positions) positions = jsonFilePositionSource(flags.positions);
  else if (options.positionSource) positions = options.positionSource();
  else throw new ReportUsageError('no positions: pass --positions <file.json>');
  try {
    return await use(new CftcReportEngine({ config: regulatory, levelConfig: loadLevels(regulatory), positions }));
  } finally {
    await positions.close?.();
  }
}

function checkedDate(date: string): string {
  if (!isIsoDay(date)) throw new ReportUsageError(`--date '${date}' must be a date YYYY-MM-DD`);
  return date;
}

function checkedFormat(format: string | undefined): LargeTraderFormat | undefined {
  if (format === undefined) return undefined;
  if (!(LARGE_TRADER_FORMATS as readonly string[]).includes(format)) throw new ReportUsageError(`--format '${format}' must be one of ${LARGE_TRADER_FORMATS.join(', ')}`);
  return format as LargeTraderFormat;
}

function requestFor(type: string, reportDate: string, params?: Record<string, unknown>): ReportRequest {
  return { jurisdiction: 'CFTC', type, reportDate, deadline: `${reportDate}T23:59:59.000Z`, ...(params ? { params } : {}) };
}

function printRendered(rendered: readonly RenderedReport[], engine: CftcReportEngine, deps: CliDeps): void {
  for (const report of rendered) {
    deps.err(`${report.fileName} (${report.format}, report id ${report.id})`);
    deps.out(report.body.trimEnd());
    const problems = engine.validate(report);
    if (problems.length) throw new Error(`${report.fileName} does not validate:\n  ${problems.join('\n  ')}`);
  }
}

function printLevels(config: LevelConfig, json: boolean, deps: CliDeps): void {
  const mapping = config.instruments.symbols.sort().map((symbol) => {
    const market = config.instruments.marketOf(symbol);
    return { symbol, row: market.level.commodity, contracts: market.level.contracts, exchange: market.exchange, exchangeCode: market.exchangeCode, commodityCode: market.commodityCode };
  });
  if (json) {
    deps.out(JSON.stringify({ regulation: config.levels.table.regulation, fallbackRow: config.levels.fallback.commodity, rows: config.levels.rows, instruments: mapping }, null, 2));
    return;
  }
  const width = Math.max(...config.levels.rows.map((row) => row.commodity.length));
  deps.out(`Reportable levels, ${config.levels.table.regulation} (contracts in any one future)`);
  let group = '';
  for (const row of config.levels.rows) {
    if (row.group !== group) deps.out(`${row.group}:`);
    group = row.group;
    deps.out(`  ${row.commodity.padEnd(width)}  ${String(row.contracts).padStart(7)}`);
  }
  deps.out('');
  deps.out('INSTRUMENT  LEVEL    ROW                                   EXCHANGE  CODES');
  for (const m of mapping) {
    deps.out(`${m.symbol.padEnd(10)}  ${String(m.contracts).padStart(7)}  ${m.row.padEnd(36)}  ${m.exchange.padEnd(8)}  ${m.exchangeCode}/${m.commodityCode}`);
  }
}
