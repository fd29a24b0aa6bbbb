import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from '../e2e/processHarness.ts';
import { EventName, TestClient } from './harness.ts';

/** The compiled `tradewire sim`, as an operator runs it. */
function runCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRADEWIRE_LOG_LEVEL: 'info' } });
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
  return { child, exited, listening, output: () => ({ stdout, stderr }) };
}

describe('tradewire sim', () => {
  it('serves real clients and exits 0 on SIGTERM', async () => {
    const cli = runCli(['sim', '--port', '0', '--tick-interval-ms', '0']);
    const port = await cli.listening;
    const client = new TestClient(port);
    await client.connect(1);
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime();
    await time;
    client.disconnect();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(client.unexpectedErrors()).toEqual([]);
  }, 20_000);

  it('--master-client-id makes that client see the orders other clients place', async () => {
    const cli = runCli(['sim', '--port', '0', '--tick-interval-ms', '0', '--master-client-id', '5']);
    const port = await cli.listening;
    const placer = new TestClient(port);
    const master = new TestClient(port);
    const orderId = await placer.connect(1);
    await master.connect(5);
    const seen = master.next(EventName.openOrder);
    placer.ib.placeOrder(orderId, { symbol: 'ES', secType: 'FUT' as never, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' }, { action: 'BUY' as never, totalQuantity: 1, orderType: 'LMT' as never, lmtPrice: 1, orderRef: 'master-1', tif: 'DAY' as never, transmit: true });
    const [, , order] = (await seen) as [number, unknown, { orderRef?: string; clientId?: number }];
    expect(order).toMatchObject({ orderRef: 'master-1', clientId: 1 });
    placer.disconnect();
    master.disconnect();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 20_000);

  it('rejects an invalid port with a usage error', async () => {
    const cli = runCli(['sim', '--port', 'eighty']);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toContain('--port must be an integer');
    await cli.listening.catch(() => undefined);
  }, 20_000);
});
