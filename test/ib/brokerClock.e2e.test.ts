import { afterEach, describe, expect, it } from 'vitest';
import { BrokerClock } from '../../src/ib/session/brokerClock.ts';
import { connect, healthOf, startSim } from './ibConnectionHarness.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the broker clock: the gateway clock offset learnt from IB currentTime', () => {
  it('reads the local clock until the broker answers, then local time plus the offset; sub-second noise is ignored', () => {
    let local = 1_000_000;
    const clock = new BrokerClock(() => local);
    expect(clock.now()).toBe(1_000_000);
    expect(clock.synchronised).toBe(false);
    clock.observe(2_000_000); // the broker says 2,000,000 s
    expect(clock.synchronised).toBe(true);
    expect(clock.now()).toBe(2_000_000_500);
    local += 10_000;
    expect(clock.now()).toBe(2_000_010_500);
    clock.observe(2_000_010); // the same second read again: no jump
    expect(clock.now()).toBe(2_000_010_500);
    clock.observe(3_000_000); // the broker's clock was moved
    expect(clock.now()).toBe(3_000_000_500);
  });

  it("follows the simulator's clock at connect and with each heartbeat: moving the gateway's clock moves the broker clock", async () => {
    let simNow = Date.parse('2026-12-14T15:00:00Z');
    const { sim, gateway } = await startSim(0, { clock: { now: () => simNow } });
    cleanups.push(() => sim.close());
    const conn = connect([gateway]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'connected');
    await waitUntil(() => conn.session.brokerClock.synchronised, 'currentTime answered');
    expect(Math.abs(conn.session.brokerClock.now() - simNow)).toBeLessThan(2_000);
    simNow = Date.parse('2027-03-12T15:00:00Z');
    // The heartbeat (every 100 ms here) asks currentTime again.
    await waitUntil(() => Math.abs(conn.session.brokerClock.now() - simNow) < 2_000, 'the moved clock learnt');
  });
});
