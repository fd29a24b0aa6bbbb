import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMdCommand } from '../../src/cli/commands/md.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { runCliWith } from './cliHarness.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

// One runtime in sim mode: the CLI asks its admin API, which asks the simulator over TCP through the `ib` session.
let main: MainProcess;
beforeAll(async () => {
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { admin: { port: 0 }, orders: { enabled: false } } });
  main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker'] });
  await waitUntil(() => main.broker.session('ib')?.online === true, 'the ib session online');
}, 30_000);
afterAll(async () => {
  await main?.stop();
});

const history = (...args: string[]) => runCliWith([registerMdCommand], ['md', 'history', ...args, '--url', main.admin.url]);

describe('tradewire md history (CLI → admin API → IB session → simulator)', () => {
  it('prints the bars IB answered, oldest first', async () => {
    const run = await history('ES', '--duration', '1 D', '--bar-size', '1 hour', '--end', '2027-03-01T21:00:00Z');
    expect(run.err).toBe('');
    expect(run.exitCode).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(/^TIME\s+OPEN\s+HIGH\s+LOW\s+CLOSE\s+VOLUME\s+WAP\s+COUNT$/);
    // Only in session: Globex opens Sunday 17:00 CT (23:00Z), so the day back from Monday 15:00 CT holds 22 bars.
    expect(lines).toHaveLength(23);
    expect(lines[1]).toMatch(/^20270228\s+23:00:00\s/);
    expect(lines[22]).toMatch(/^20270301\s+20:00:00\s/);
  });

  it('answers --json with the request as sent and the bars', async () => {
    const run = await history('ES', '--duration', '3600 S', '--bar-size', '5 mins', '--end', '2027-03-01T16:00:00-05:00', '--json');
    expect(run.exitCode).toBe(0);
    const answer = JSON.parse(run.out) as { symbol: string; endDateTime: string; bars: { close: number }[] };
    expect(answer).toMatchObject({ symbol: 'ES', endDateTime: '20270301-21:00:00', duration: '3600 S', barSize: '5 mins', whatToShow: 'TRADES' });
    expect(answer.bars).toHaveLength(12);
  });

  it.each([
    [['--bar-size', '7 hours'], /^error: barSize: must be one of 1 secs, /],
    [['--duration', '1 day'], /^error: duration: must be an IB duration/],
    [['--end', 'yesterday'], /^error: end: must be an ISO-8601 timestamp/],
    [['--what', 'OPTION_IMPLIED_VOLATILITY'], /^error: whatToShow: must be one of TRADES, MIDPOINT, BID, ASK, BID_ASK/],
  ])('refuses %j with a 400 naming the field', async (args, message) => {
    const run = await history('ES', ...args);
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(message);
    expect(run.err).toContain('(HTTP 400 invalid_query)');
  });

  it('names an unknown query field and a bad symbol', async () => {
    const response = await fetch(`${main.admin.url}/marketdata/history/E%20S?barsize=1%20hour`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^symbol: must be 1 to 32 letters.*; barsize: unknown field$/);
  });

  it("passes on IB's refusal of an unknown contract: no month to ask for (404), or IB's own answer (502)", async () => {
    const bySymbol = await history('NOPE');
    expect(bySymbol.exitCode).toBe(1);
    expect(bySymbol.err).toMatch(/^error: no contract month for NOPE: IB request \d+ failed with 200: .*\(HTTP 404 no_contract_month\)$/);
    const byMonth = await history('NOPE', '--expiry', '202703');
    expect(byMonth.exitCode).toBe(1);
    expect(byMonth.err).toMatch(/^error: IB request \d+ failed with 200: .*\(HTTP 502 broker_refused\)$/);
  });
});
