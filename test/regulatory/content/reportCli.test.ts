import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/cliDeps.ts';
import { registerReportCommand, type ReportCommandOptions } from '../../../src/cli/commands/report.ts';
import { StaticPositionSource } from '../../../src/regulatory/positionSource.ts';
import { validateCftc80File } from '../../../src/regulatory/cftc/formats/cftc80/validateRecord.ts';
import { position } from './regulatoryFixture.ts';

interface Run {
  exitCode: number | undefined;
  out: string;
  err: string;
}

async function runReport(args: string[], options: ReportCommandOptions = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode: number | undefined;
  const deps: CliDeps = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, setExitCode: (code) => (exitCode = code) };
  const program = new Command('tradewire').exitOverride().configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => err.push(t) });
  registerReportCommand(program, deps, options);
  try {
    await program.parseAsync(['report', ...args], { from: 'user' });
  } catch (error) {
    exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
  return { exitCode, out: out.join('\n'), err: err.join('\n') };
}

const days = { '2026-03-02': [position('DU1234567', 'CL', '202702', -400), position('DU1234567', 'CL', '202703', 12)] };
const fromRuntime: ReportCommandOptions = { positionSource: () => new StaticPositionSource(days), today: () => '2026-03-02' };

describe('tradewire report', () => {
  it('levels prints the 15.03(b) table and the instrument rows', async () => {
    const run = await runReport(['levels']);
    expect(run.exitCode).toBe(0);
    expect(run.out).toMatch(/Crude Oil, Sweet\s+350/);
    expect(run.out).toMatch(/All Other Commodities\s+25/);
    expect(run.out).toMatch(/^ES\s+1000\s+S&P 500 Stock Price Index\s+CME\s+02\/ES$/m);
    const json = JSON.parse((await runReport(['levels', '--json'])).out);
    expect(json.instruments.find((i: { symbol: string }) => i.symbol === 'ZC')).toMatchObject({ row: 'Corn', contracts: 250 });
  });

  it('preview renders the day\'s 80-character records from the runtime\'s positions', async () => {
    const run = await runReport(['preview', '--date', '2026-03-02'], fromRuntime);
    expect(run.exitCode).toBe(0);
    const records = run.out.split('\n');
    expect(records).toHaveLength(2);
    expect(validateCftc80File(`${run.out}\n`)).toEqual([]);
    expect(records[0]!.slice(51, 65)).toBe('00000000000400');
    expect(run.err).toMatch(/TWD_20260302_LTR\.txt \(cftc80, report id cftc-large-trader-positions-2026-03-02-[0-9a-f]{20}\)/);
  });

  it('preview reads a --positions file and can render Appendix C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-report-'));
    const file = join(dir, 'positions.json');
    writeFileSync(file, JSON.stringify({ days }));
    const run = await runReport(['preview', '--date', '2026-03-02', '--positions', file, '--format', 'appendixC']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ totalMessageCount: 2, toId: 'CFTC' });
  });

  it('preview says when no report is due, and shows the drop-off the day after a reportable day', async () => {
    const run = await runReport(['preview', '--date', '2026-03-01'], fromRuntime);
    expect(run).toMatchObject({ exitCode: 0, out: expect.stringMatching(/no large trader report is due for 2026-03-01/) });
    const dropOff = await runReport(['preview', '--date', '2026-03-03'], fromRuntime);
    expect(dropOff.out.split('\n').map((record) => record.slice(35, 65))).toEqual(['202702          00000000000000', '202703          00000000000000']);
  });

  it('form40 prints the readable pack and writes the JSON with --out', async () => {
    const written: Record<string, string> = {};
    const run = await runReport(['form40', '--out', 'pack.json'], { ...fromRuntime, writeFile: (path, text) => (written[path] = text) });
    expect(run.exitCode).toBe(0);
    expect(run.out).toMatch(/CFTC Form 40: Statement of Reporting Trader \(17 CFR 18\.04\)/);
    expect(run.out).toMatch(/Reportable in: Crude Oil, Sweet/);
    expect(run.out).toMatch(/CL\s+202702\s+NYMEX\s+long\s+0\s+short\s+400/);
    expect(JSON.parse(written['pack.json']!)).toMatchObject({ asOf: '2026-03-02', accounts: [{ accountId: 'DU1234567' }] });
  });

  it('refuses a bad date or format with a usage error, and a missing position source', async () => {
    expect(await runReport(['preview', '--date', '2026-02-30'], fromRuntime)).toMatchObject({ exitCode: 2, err: expect.stringMatching(/--date '2026-02-30' must be a date/) });
    expect(await runReport(['preview', '--date', '2026-03-02', '--format', 'xml'], fromRuntime)).toMatchObject({ exitCode: 2, err: expect.stringMatching(/--format 'xml'/) });
    expect(await runReport(['form40', '--date', '2026-03-02'])).toMatchObject({ exitCode: 2, err: expect.stringMatching(/no positions: pass --positions/) });
  });

  it('names the file and key of a bad positions file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-report-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ days: { '2026-03-02': [{ account: 'A', symbol: 'ES', contractMonth: '2026-03', net: 1 }] } }));
    const run = await runReport(['preview', '--date', '2026-03-02', '--positions', file]);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain(`${file}: days.2026-03-02.0.contractMonth: must be YYYYMM`);
  });
});
