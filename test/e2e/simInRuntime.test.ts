import { EventName, IBApi } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import type { ActorNode } from '../../src/admin/runtimeView.ts';
import { waitFor } from '../support/waitUntil.ts';
import { SIM_CLOCK_ENV, TEST_SIM_CLOCK_MS } from '../support/simClock.ts';

const TOKEN = 'sim-runtime-token';
let main: MainProcess | undefined;
afterEach(async () => {
  await main?.stop();
  main = undefined;
});

function nextEvent(ib: IBApi, event: EventName, timeoutMs = 5_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    ib.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

const find = (node: ActorNode, id: string): ActorNode | undefined =>
  node.systemId === id ? node : node.children.map((c) => find(c, id)).find(Boolean);

async function startWithSim(): Promise<MainProcess> {
  const config = loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: { admin: { port: 0, token: TOKEN }, orders: { enabled: false }, broker: { connection: { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 300, backoff: { minMs: 20, maxMs: 200, jitter: 0 } } } },
  });
  return startMainProcess(config, createSilentLogger(), { capabilities: ['broker'] });
}

const post = (m: MainProcess, systemId: string, body: unknown) =>
  fetch(`${m.admin.url}/actors/${systemId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the default broker: embedded simulator `sim` and IB connection `ib` in the tree', () => {
  it('/ready is 503 while the IB connection is cut off from IB (1100), naming it, and 200 once it is back', async () => {
    main = await startWithSim();
    const m = main;
    await waitFor(() => m.runtime.readiness().ready, 'ready');
    expect((await post(m, 'sim', { type: 'FAULT', fault: { kind: 'connectivityLost', restoreAfterMs: 400, restoreCode: 1102 } })).status).toBe(202);
    const reasons = await waitFor(() => {
      const readiness = m.runtime.readiness();
      return !readiness.ready && readiness.reasons;
    }, 'not ready during 1100');
    expect(reasons).toContain('IB connection ib is connected but cut off from IB (1100 or 2110): orders wait');
    const answer = await fetch(`${m.admin.url}/ready`);
    expect(answer.status).toBe(503);
    await waitFor(() => m.runtime.readiness().ready, 'ready after 1102');
  });

  it('connects the IB connection actor to the simulator, reports it, and recovers from an injected drop', async () => {
    main = await startWithSim();
    const m = main;
    const ib = await waitFor(() => {
      const node = find(m.runtime.actorTree(), 'ib');
      return node?.details?.health === 'healthy' && node;
    }, 'ib connected/healthy');
    expect(find(m.runtime.actorTree(), 'broker')!.children.map((c) => c.systemId)).toEqual(['sim', 'ib']);
    expect(ib.details).toMatchObject({ gateway: `127.0.0.1:${m.config.broker.sim.port}`, clientId: 1, accounts: ['DU1234567'] });

    const metrics = await (await fetch(`${m.admin.url}/metrics`)).text();
    expect(metrics).toMatch(/tradewire_ib_connection_health\{system_id="ib",health="healthy",gateway="127\.0\.0\.1:\d+",client_id="1"\} 1/);

    expect((await post(m, 'sim', { type: 'FAULT', fault: { kind: 'dropAll' } })).status).toBe(202);
    await waitFor(() => {
      const details = find(m.runtime.actorTree(), 'ib')?.details as { health?: string; counters?: { connects: number } } | undefined;
      return details?.health === 'healthy' && (details.counters?.connects ?? 0) >= 2;
    }, 'ib reconnected after drop');

    const refused = await post(m, 'ib', { type: 'EXPLODE' });
    expect(refused.status).toBe(400);
    expect((await post(m, 'ib', { type: 'RECONNECT' })).status).toBe(202);
  });

  it('serves an outside @stoqey/ib client too, and refuses malformed fault events', async () => {
    main = await startWithSim();
    const m = main;
    const port = m.config.broker.sim.port;
    await waitFor(() => (m.runtime.tree.get('sim')?.getSnapshot() as { value: string } | undefined)?.value === 'listening', 'sim listening');
    const ib = new IBApi({ host: '127.0.0.1', port });
    const errors: unknown[] = [];
    ib.on(EventName.error, (...args: unknown[]) => errors.push(args));
    const connected = nextEvent(ib, EventName.nextValidId);
    ib.connect(11);
    await connected;
    const time = nextEvent(ib, EventName.currentTime);
    ib.reqCurrentTime();
    const [seconds] = (await time) as [number];
    // The embedded simulator runs on its configured clock (broker.sim.clock), not wall time.
    expect(Math.abs(seconds - TEST_SIM_CLOCK_MS / 1_000)).toBeLessThan(600);

    const refused = await post(m, 'sim', { type: 'FAULT', fault: { kind: 'meteorStrike' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/refused the event: fault\.kind/);
    ib.disconnect();
    expect(errors).toEqual([]);
  });
});

describe('several IB connections', () => {
  it('runs broker.pool.size connections with their own client ids, each answering data requests', async () => {
    const config = loadConfig({
      env: SIM_CLOCK_ENV,
      overrides: { admin: { port: 0 }, orders: { enabled: false }, broker: { pool: { size: 2 } } },
    });
    main = await startMainProcess(config, createSilentLogger(), { capabilities: ['broker'] });
    const m = main;
    await waitFor(() => {
      const tree = m.runtime.actorTree();
      return find(tree, 'ib')?.details?.health === 'healthy' && find(tree, 'ib-2')?.details?.health === 'healthy';
    }, 'both connections healthy');
    expect(find(m.runtime.actorTree(), 'ib')!.details!.clientId).toBe(1);
    expect(find(m.runtime.actorTree(), 'ib-2')!.details!.clientId).toBe(2);
    const details = await m.broker.session('ib-2')!.contractDetails({ symbol: 'ES', secType: 'FUT' as never, exchange: 'CME', currency: 'USD' });
    expect(details[0]!.contract.symbol).toBe('ES');
  });
});
