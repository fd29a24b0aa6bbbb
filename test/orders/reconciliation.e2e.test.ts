import { EventName, IBApi, OrderAction, OrderType, SecType } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { orderWorld, waitForState, type Cleanup } from './orderWorld.ts';
import { HandMovedClock } from '../support/handMovedClock.ts';

const cleanups: Cleanup[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('reconciliation with the broker (simulator, real Redis)', () => {
  it('a fill nobody here owns is a break: the instrument is locked until the break is cleared', async () => {
    // Monday 7 Dec 2026, 09:00 CT: Globex open, whatever day the test runs.
    const w = await orderWorld(cleanups, { simulator: { clock: new HandMovedClock('2026-12-07T15:00:00Z') } });

    // Someone else (another client of the same account) trades ES March (ES is listed in several months: one must be named).
    const foreign = new IBApi({ host: w.gateway.host, port: w.gateway.port });
    const ready = new Promise<number>((resolve) => foreign.once(EventName.nextValidId, resolve));
    foreign.connect(50);
    const id = await ready;
    const filled = new Promise((resolve) => foreign.on(EventName.execDetails, resolve));
    foreign.placeOrder(id, { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' }, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, orderRef: 'foreign-1', transmit: true });
    await filled;
    foreign.disconnect();

    // The service's own default order timing, not the fixture's short one.
    const { service } = await w.startService({ timing: undefined });

    const report = await service.reconcile();
    expect(report.breaks + service.breaks.breaks.length).toBeGreaterThanOrEqual(1);
    expect([...service.breaks.lockedInstruments]).toEqual(['ES']);
    expect(service.status()).toMatchObject({ lockedInstruments: ['ES'] });

    const order = (clientOrderId: string) => ({ clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'recon' });
    await w.queue.add('o', order('while-locked'));
    expect(await waitForState(service, 'while-locked', ['rejected'], 5_000), 'rejected while locked').toBe('rejected');
    expect((await service.store.load('while-locked'))!.context!.rejectReason).toMatch(/locked by an open reconciliation break/);

    expect(await service.breaks.clear('ES')).toBe(true);
    await w.queue.add('o', order('after-clear'));
    expect(await waitForState(service, 'after-clear', ['filled'], 5_000), 'filled after the break is cleared').toBe('filled');
  });
});
