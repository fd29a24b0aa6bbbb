import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from '../e2e/processHarness.ts';
import { EventName, TestClient } from './harness.ts';
import { TEST_SIM_CLOCK_MS } from '../support/simClock.ts';

/** The compiled `tradewire sim`, as an operator runs it. */
function runSim(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, 'sim', '--port', '0', '--tick-interval-ms', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, TRADEWIRE_LOG_LEVEL: 'info' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /sim listening on 127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
  });
  return { child, exited, listening, stderr: () => stderr };
}

async function simTime(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const sim = runSim(args, env);
  const client = new TestClient(await sim.listening);
  try {
    await client.connect(1);
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime();
    return ((await time)[0] as number) * 1000;
  } finally {
    client.disconnect();
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
    expect(client.unexpectedErrors()).toEqual([]);
  }
}

const { TRADEWIRE_SIM_CLOCK: _unset, ...envWithoutClock } = process.env;
const FRIDAY = Date.UTC(2026, 11, 11, 21);

describe('tradewire sim --clock', () => {
  it('starts the clock at --clock, which wins over TRADEWIRE_SIM_CLOCK', async () => {
    const time = await simTime(['--clock', '2026-12-11T15:00:00-06:00'], { ...envWithoutClock, TRADEWIRE_SIM_CLOCK: '2030-01-01T00:00:00Z' });
    expect(time).toBeGreaterThanOrEqual(FRIDAY);
    expect(time).toBeLessThan(FRIDAY + 15_000);
  }, 20_000);

  it('takes TRADEWIRE_SIM_CLOCK without --clock (how tests, bench and chaos pin an in-session instant)', async () => {
    const time = await simTime([], { ...envWithoutClock, TRADEWIRE_SIM_CLOCK: new Date(TEST_SIM_CLOCK_MS).toISOString() });
    expect(time).toBeGreaterThanOrEqual(TEST_SIM_CLOCK_MS);
    expect(time).toBeLessThan(TEST_SIM_CLOCK_MS + 15_000);
  }, 20_000);

  it('refuses a bad instant with a usage error naming where it came from', async () => {
    for (const [args, env, named] of [
      [['--clock', '2026-12-07 15:00'], envWithoutClock, '--clock must be an ISO 8601 instant with a zone'],
      [[], { ...envWithoutClock, TRADEWIRE_SIM_CLOCK: 'monday' }, 'TRADEWIRE_SIM_CLOCK must be an ISO 8601 instant with a zone'],
    ] as const) {
      const sim = runSim([...args], env);
      expect(await sim.exited).toBe(2);
      expect(sim.stderr()).toContain(named);
      await sim.listening.catch(() => undefined);
    }
  }, 20_000);
});
