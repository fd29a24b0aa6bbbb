import type { Command } from 'commander';
import type { SourceOptions } from '../actions/report.ts';
import type { PositionSource } from '../../regulatory/positionSource.ts';
import type { RegulatoryConfig } from '../../regulatory/regulatoryConfig.ts';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { describeOption, describeWhenUsed } from '../describeWhenUsed.ts';

export interface ReportCommandOptions {
  /** The `regulatory` config block (read when a command runs, so `--help` needs no config); the demo block by default. */
  regulatory?: () => RegulatoryConfig;
  /** The runtime's positions (Redis), used when no `--positions file.json` is given; closed after the command when it can be. */
  positionSource?: () => PositionSource & { close?(): Promise<void> };
  /** Today, `YYYY-MM-DD`, the default `--date`. */
  today?: () => string;
  writeFile?: (path: string, text: string) => void;
}

/** The options themselves, or (so that registering loads none of their code) how to make them when a command runs. */
export type ReportOptionsSource = ReportCommandOptions | (() => Promise<ReportCommandOptions>);

export function registerReportCommand(program: Command, deps: CliDeps = processCliDeps(), options: ReportOptionsSource = {}): void {
  const resolved = async () => (typeof options === 'function' ? options() : options);
  const actions = () => import('../actions/report.ts');
  const report = program.command('report').description('regulatory report content: CFTC reportable levels, large trader records, Form 40');

  report
    .command('levels')
    .description('print the 17 CFR 15.03(b) reportable levels and which row each instrument falls in')
    .option('--json', 'print the table and the mapping as JSON')
    .action(async (flags: { json?: boolean }) => deps.setExitCode(await (await actions()).runReportLevels(flags, deps, await resolved())));

  const preview = report
    .command('preview')
    .description("render a day's large trader position records to stdout (nothing is filed)")
    .requiredOption('--date <YYYY-MM-DD>', 'the trading day')
    .option('--format <format>')
    .option('--positions <file>', 'close-of-day positions: {"days": {"YYYY-MM-DD": [{account, symbol, contractMonth, net}]}}')
    .action(async (flags: SourceOptions & { date: string; format?: string }) => deps.setExitCode(await (await actions()).runReportPreview(flags, deps, await resolved())));

  report
    .command('form40')
    .description('generate the Form 40 pack (Statement of Reporting Trader) for a special call')
    .option('--date <YYYY-MM-DD>', 'the day whose closing positions the pack shows (default: today)')
    .option('--out <file>', 'write the pack as JSON to this file')
    .option('--json', 'print JSON instead of the readable text')
    .option('--positions <file>', 'close-of-day positions file, as for preview')
    .action(async (flags: SourceOptions & { date?: string; out?: string; json?: boolean }) =>
      deps.setExitCode(await (await actions()).runReportForm40(flags, deps, await resolved())),
    );

  describeWhenUsed(report, async () => {
    const { LARGE_TRADER_FORMATS } = await import('../../regulatory/regulatoryConfig.ts');
    describeOption(preview, '--format', `${LARGE_TRADER_FORMATS.join(' or ')} (default: regulatory.format)`);
  });
}
