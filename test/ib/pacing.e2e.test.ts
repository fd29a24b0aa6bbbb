import { afterEach, describe, expect, it } from 'vitest';
import { connect, connectedSim, STEADY_TIMING, healthOf, startSim } from './ibConnectionHarness.ts';
import { maxInAnyWindow } from './rateWindow.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('outbound pacing against the simulator', () => {
  it('queues a burst instead of dropping it, never exceeds the bucket, and never trips IB pacing', async () => {
    const { sim, gateway, conn } = await connectedSim(cleanups, 'connected', {}, STEADY_TIMING);

    const sentAt: number[] = [];
    const answered: number[] = [];
    conn.session.client!.on('currentTime' as never, () => answered.push(Date.now()));
    for (let i = 0; i < 70; i += 1) {
      conn.session.enqueue('data', (api) => {
        sentAt.push(performance.now());
        api.reqCurrentTime();
      });
    }
    await waitUntil(() => sentAt.length === 70, 'all 70 sent', 5_000);
    // Rate 45/s plus a burst of 5: no one-second window carries more than 50.
    expect(maxInAnyWindow(sentAt, 1_000)).toBeLessThanOrEqual(50);
    expect(sentAt.at(-1)! - sentAt[0]!).toBeGreaterThan(300);
    await waitUntil(() => answered.length >= 70, 'answers', 3_000);
    expect(conn.actor.getSnapshot().context.counters.pacingViolations).toBe(0);
  });

  it('error 100 from a stricter gateway steps the outbound rate down', async () => {
    const { sim, gateway } = await startSim(0, { pacing: { enabled: true, maxMessagesPerSecond: 10 } });
    cleanups.push(() => sim.close());
    const conn = connect([gateway]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'connected', 5_000);
    const before = conn.session.currentRate;
    for (let i = 0; i < 40; i += 1) conn.session.enqueue('data', (api) => api.reqCurrentTime());
    await waitUntil(() => conn.actor.getSnapshot().context.counters.pacingViolations >= 1, 'error 100', 5_000);
    expect(conn.session.currentRate).toBeLessThan(before);
  });
});
