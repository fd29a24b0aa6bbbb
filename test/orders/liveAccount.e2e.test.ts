import { afterEach, describe, expect, it } from 'vitest';
import { accountKind, liveTradingRefusal } from '../../src/ib/accountKind.ts';
import { connect, healthOf, startSim } from '../ib/ibConnectionHarness.ts';
import { orderJob, orderWorld, waitForState, type Cleanup } from './orderWorld.ts';
import { waitUntil } from '../support/waitUntil.ts';

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('paper or live: the managed accounts decide, and a live account needs broker.allowLive', () => {
  it('DU/DF accounts are paper; any other account makes the connection live; none yet is unknown', () => {
    expect(accountKind(['DU1234567'])).toBe('PAPER');
    expect(accountKind(['DF100', 'DU2'])).toBe('PAPER');
    expect(accountKind(['DU1', 'U7654321'])).toBe('LIVE');
    expect(accountKind([])).toBe('UNKNOWN');
    expect(liveTradingRefusal(['U7654321'], false)).toMatch(/LIVE \(U7654321\) and broker.allowLive is false: set TRADEWIRE_ALLOW_LIVE=1/);
    expect(liveTradingRefusal(['U7654321'], true)).toBeNull();
    expect(liveTradingRefusal(['DU1'], false)).toBeNull();
  });

  it('the connection learns the accounts from the gateway at connect (a live-looking account over TCP)', async () => {
    const { sim, gateway } = await startSim(0, { accounts: [{ id: 'U7654321', cash: 1_000_000, currency: 'USD' }] });
    cleanups.push(() => sim.close());
    const conn = connect([gateway]);
    cleanups.push(() => conn.close());
    await waitUntil(() => healthOf(conn.actor) === 'healthy', 'connected', 5_000);
    expect(accountKind(conn.actor.getSnapshot().context.accounts)).toBe('LIVE');
  });

  it('orders for a live account without the opt-in end rejected, naming why; nothing reaches the broker', async () => {
    const w = await orderWorld(cleanups);
    const s = await w.startService({ accountRefusal: () => liveTradingRefusal(['U7654321'], false) });
    await s.service.whenTakingJobs();
    await w.queue.add('order', orderJob('live-1'));
    expect(await waitForState(s.service, 'live-1', ['rejected', 'filled'])).toBe('rejected');
    expect((await s.service.store.load('live-1'))?.context?.rejectReason).toMatch(/the connected IB account is LIVE/);
    expect(w.sim.orders().filter((o) => o.orderRef === 'live-1')).toEqual([]);
  });
});
