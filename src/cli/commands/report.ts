import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CftcReportEngine } from '../../regulatory/cftc/cftcReportEngine.ts';
import { isIsoDay } from '../../shared/calendarDays.ts';
import { form40PackSchema } from '../../regulatory/cftc/form40/form40Pack.ts';
import { renderForm40Text } from '../../regulatory/cftc/form40/renderForm40Text.ts';
import { loadLevelConfig, type LevelConfig } from '../../regulatory/cftc/levels/loadLevelConfig.ts';
import type { PositionSource } from '../../regulatory/positionSource.ts';
import { PACKAGE_ROOT } from '../../packageRoot.ts';
import { DEMO_REGULATORY_CONFIG, LARGE_TRADER_FORMATS, type LargeTraderFormat, type RegulatoryConfig } from '../../regulatory/regulatoryConfig.ts';
import type { RenderedReport, ReportRequest } from '../../regulatory/reportTypes.ts';
import { jsonFilePositionSource } from '../../regulatory/sources/jsonFilePositionSource.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, processCliDeps, type CliDeps } from '../adminClient.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface ReportCommandOptions {
  /** The `regulatory` config block (read when a command runs, so `--help` needs no config); the demo block by default. */
  regulatory?: () => RegulatoryConfig;
  /** The runtime's positions (Redis), used when no `--positions file.json` is given; closed after the command when it can be. */
  positionSource?: () => PositionSource & { close?(): Promise<void> };
  /** Today, `YYYY-MM-DD`, the default `--date`. */
  today?: () => string;
  writeFile?: (path: string, text: string) => void;
}

interface SourceOptions {
  positions?: string;
}

class ReportUsageError extends Error {
  override readonly name = 'ReportUsageError';
}

export function registerReportCommand(program: Command, deps: CliDeps = processCliDeps(), options: ReportCommandOptions = {}): void {
  const regulatory = () => options.regulatory?.() ?? DEMO_REGULATORY_CONFIG;
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const writeFile = options.writeFile ?? ((path: string, text: string) => writeFileSync(path, text));
  const run = async (action: () => Promise<void>): Promise<void> => deps.setExitCode(await guarded(action, deps));
  const report = program.command('report').description('regulatory report content: CFTC reportable levels, large trader records, Form 40');

  report
    .command('levels')
    .description('print the 17 CFR 15.03(b) reportable levels and which row each instrument falls in')
    .option('--json', 'print the table and the mapping as JSON')
    .action((flags: { json?: boolean }) => run(async () => printLevels(loadLevels(regulatory()), Boolean(flags.json), deps)));

  report
    .command('preview')
    .description("render a day's large trader position records to stdout (nothing is filed)")
    .requiredOption('--date <YYYY-MM-DD>', 'the trading day')
    .option('--format <format>', `${LARGE_TRADER_FORMATS.join(' or ')} (default: regulatory.format)`)
    .option('--positions <file>', 'close-of-day positions: {"days": {"YYYY-MM-DD": [{account, symbol, contractMonth, net}]}}')
    .action((flags: SourceOptions & { date: string; format?: string }) =>
      run(async () => {
        const format = checkedFormat(flags.format);
        const date = checkedDate(flags.date);
        await withEngine(regulatory(), flags, options, async (engine) => {
          const rendered = await engine.render(requestFor('large_trader_positions', date, format ? { format } : undefined));
          if (rendered.length === 0) {
            deps.out(`no large trader report is due for ${flags.date}: no account is reportable, and none dropped below a level`);
            return;
          }
          printRendered(rendered, engine, deps);
        });
      }),
    );

  report
    .command('form40')
    .description('generate the Form 40 pack (Statement of Reporting Trader) for a special call')
    .option('--date <YYYY-MM-DD>', 'the day whose closing positions the pack shows (default: today)')
    .option('--out <file>', 'write the pack as JSON to this file')
    .option('--json', 'print JSON instead of the readable text')
    .option('--positions <file>', 'close-of-day positions file, as for preview')
    .action((flags: SourceOptions & { date?: string; out?: string; json?: boolean }) =>
      run(async () => {
        const date = checkedDate(flags.date ?? today());
        await withEngine(regulatory(), flags, options, async (engine) => {
          const [pack] = await engine.render(requestFor('form40', date));
          const problems = engine.validate(pack!);
          if (problems.length) throw new Error(`the Form 40 pack does not validate: ${problems.join('; ')}`);
          if (flags.out) {
            writeFile(flags.out, pack!.body);
            deps.err(`wrote ${flags.out} (report id ${pack!.id})`);
          }
          deps.out(flags.json ? pack!.body.trimEnd() : renderForm40Text(form40PackSchema.parse(JSON.parse(pack!.body))).trimEnd());
        });
      }),
    );
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
