import { afterEach, describe, expect, it } from 'vitest';
import { connect, healthOf, startSim } from './ibConnectionHarness.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('failover over an ordered list of gateways', () => {
  it('moves to the backup when the primary is gone, and back once the primary answers again', async () => {
    const primary = await startSim();
    const backup = await startSim();
    cleanups.push(() => backup.sim.close());
    const conn = connect([primary.gateway, backup.gateway]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'connected to primary', 5_000);
    expect(conn.actor.getSnapshot().context.gatewayIndex).toBe(0);

    await primary.sim.close();
    await waitUntil(() => healthOf(conn.actor) === 'healthy' && conn.actor.getSnapshot().context.gatewayIndex === 1, 'on backup', 5_000);
    expect(conn.actor.getSnapshot().context.counters.failovers).toBe(1);

    const revived = await startSim(primary.gateway.port);
    cleanups.push(() => revived.sim.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy' && conn.actor.getSnapshot().context.gatewayIndex === 0, 'back on primary', 5_000);
    expect(conn.actor.getSnapshot().context.counters.failbacks).toBe(1);
  });
});

describe('connection attempts go through the circuit breaker', () => {
  it('opens after repeated failures and refuses attempts without touching the socket', async () => {
    const dead = await startSim();
    const port = dead.gateway.port;
    await dead.sim.close();
    const conn = connect([{ host: '127.0.0.1', port }]);
    cleanups.push(() => conn.close());
    await waitUntil(() => conn.actor.getSnapshot().context.counters.breakerRejections >= 1, 'breaker rejection', 5_000);
    const breaker = (conn.actor.getSnapshot().children as Record<string, { getSnapshot(): { value: unknown } }>).breaker!;
    expect(breaker.getSnapshot().value).toBe('open');
    expect(conn.actor.getSnapshot().context.lastError).toBe('circuit breaker open');
    expect(conn.actor.getSnapshot().context.counters.failedAttempts).toBe(4);
  });
});
