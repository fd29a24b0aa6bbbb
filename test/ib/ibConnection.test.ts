import { afterEach, describe, expect, it } from 'vitest';
import type { TwsSimulator } from '../../src/sim/index.ts';
import { connect, healthOf, startSim } from './ibConnectionHarness.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function connectedTo(sim?: TwsSimulator) {
  const started = sim ? { sim, gateway: { host: '127.0.0.1', port: sim.address!.port } } : await startSim();
  cleanups.push(() => started.sim.close());
  const conn = connect([started.gateway]);
  cleanups.push(() => conn.close());
  await waitUntil(() => healthOf(conn.actor) === 'healthy', 'connected/healthy', 5_000);
  return { ...started, conn };
}

describe('IB connection against the simulator (real TCP, real @stoqey/ib)', () => {
  it('handshakes: waits for nextValidId and managedAccounts, then is connected and healthy', async () => {
    const { conn } = await connectedTo();
    const context = conn.actor.getSnapshot().context;
    expect(context.nextValidId).toBeGreaterThan(0);
    expect(context.accounts.length).toBeGreaterThan(0);
    expect(conn.path.slice(0, 2)).toEqual(['"connecting"', '"handshaking"']);
    expect(conn.emitted.map((e) => e.type)).toContain('ib.ready');
    expect(conn.session.online).toBe(true);
  });

  it('drop: reconnects after backoff', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'dropAll' });
    await waitUntil(() => conn.actor.getSnapshot().context.counters.disconnects === 1, 'disconnect noticed', 3_000);
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'reconnected', 5_000);
    expect(conn.actor.getSnapshot().context.counters.connects).toBe(2);
  });

  it('half-open: the heartbeat notices the silent socket and reconnects once it answers again', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'halfOpen' });
    await waitUntil(() => conn.actor.getSnapshot().context.counters.halfOpenDetected === 1, 'half-open detected', 2_000);
    sim.injectFault({ kind: 'halfOpen', on: false });
    sim.injectFault({ kind: 'dropAll' });
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'recovered', 5_000);
  });

  it('1100 then 1102: orders held while IB is lost, released on restore', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'connectivityLost', restoreAfterMs: 200, restoreCode: 1102 });
    await waitUntil(() => healthOf(conn.actor) === 'ibServerLost', 'ibServerLost', 2_000);
    let sent = false;
    conn.session.enqueue('order', () => {
      sent = true;
    });
    expect(sent).toBe(false);
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'restored', 2_000);
    await waitUntil(() => sent, 'held order released', 1_000);
    expect(conn.emitted.map((e) => e.type)).not.toContain('ib.resubscribe');
  });

  it('1100 then 1101: restored with data lost asks for market data to be resubscribed', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'connectivityLost', restoreAfterMs: 100, restoreCode: 1101 });
    await waitUntil(() => conn.emitted.some((e) => e.type === 'ib.resubscribe'), 'resubscribe', 2_000);
    expect(healthOf(conn.actor)).toBe('healthy');
  });

  it('2110: IB server connectivity lost holds orders', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'ibServerLost' });
    await waitUntil(() => healthOf(conn.actor) === 'ibServerLost', 'ibServerLost', 2_000);
  });

  it('2103 then 2104: degraded while a data farm is broken, healthy when it is back', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'dataFarmBroken' });
    await waitUntil(() => healthOf(conn.actor) === 'degraded', 'degraded', 2_000);
    sim.injectFault({ kind: 'dataFarmRestored' });
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'healthy', 2_000);
  });

  it('restart: sessions reset, the connection comes back', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'restart' });
    await waitUntil(() => conn.actor.getSnapshot().context.counters.connects === 2 && healthOf(conn.actor) === 'healthy', 'back', 5_000);
  });

  it('326: a taken client id moves to the next configured one', async () => {
    const { sim } = await startSim();
    cleanups.push(() => sim.close());
    const squatter = connect([{ host: '127.0.0.1', port: sim.address!.port }], { clientIds: [1] });
    cleanups.push(() => squatter.close());
    await waitUntil(() => healthOf(squatter.actor) === 'healthy', 'squatter connected', 5_000);
    const conn = connect([{ host: '127.0.0.1', port: sim.address!.port }]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'connected with another id', 5_000);
    expect(conn.actor.getSnapshot().context.clientIdIndex).toBe(1);
    expect(conn.actor.getSnapshot().context.counters.clientIdSwitches).toBe(1);
  });

  it('delay beyond the heartbeat timeout is treated as a dead link', async () => {
    const { sim, conn } = await connectedTo();
    sim.injectFault({ kind: 'delay', ms: 400 });
    await waitUntil(() => conn.actor.getSnapshot().context.counters.halfOpenDetected >= 1, 'slow link detected', 2_000);
    sim.injectFault({ kind: 'delay', ms: 0 });
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'recovered', 5_000);
  });
});
