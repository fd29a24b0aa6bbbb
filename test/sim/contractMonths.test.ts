import { describe, expect, it } from 'vitest';
import { EventName, futures, order, simulatorClients } from './harness.ts';

/** A hand-moved clock, only ever forward (as a gateway's): the simulator reads the calendar at these instants. */
const at = (iso: string) => Date.parse(iso);
const clock = { t: at('2026-12-07T15:00:00Z'), now() { return this.t; } };

/**
 * The simulator lists every month the calendar lists at its clock, matches IB's expiry semantics
 * (YYYYMM is the contract month, YYYYMMDD the last trade date), drops a month when it expires and
 * trades only in session.
 */
describe('simulator contract months', () => {
  const t = simulatorClients(() => ({ clock }));

  async function detailsOf(contract: ReturnType<typeof futures>, reqId: number) {
    const rows = t.client.collect(EventName.contractDetails, EventName.contractDetailsEnd, (id: number) => id === reqId);
    t.client.ib.reqContractDetails(reqId, contract);
    return (await rows).map(([, d]) => d);
  }

  it('lists every ES quarterly IB lists, front first, with contract month and last trade date', async () => {
    clock.t = at('2026-12-07T15:00:00Z');
    await t.connect();
    const details = await detailsOf(futures('ES', { lastTradeDateOrContractMonth: '' }), 1);
    expect(details.map((d) => d.contractMonth)).toEqual(['202612', '202703', '202706', '202709', '202712']);
    expect(details[0].contract.lastTradeDateOrContractMonth).toBe('20261218');
    // Sent as '20261218 08:30:00' like IB; the patched decoder splits the time off as IB's does.
    expect(details[0].lastTradeTime).toBe('08:30:00');
    expect(details[0].realExpirationDate).toBe('20261218');
    expect(details[0].contract.localSymbol).toBe('ESZ6');
    expect(new Set(details.map((d) => d.contract.conId)).size).toBe(5);
    expect(details[0].tradingHours).toMatch(/^\d{8}:(\d{4}-\d{8}:\d{4}|CLOSED)(;|$)/);
    expect(details[0].liquidHours).toMatch(/^\d{8}:/);
  });

  it('reads a CL contract month apart from its last trade date', async () => {
    clock.t = at('2026-12-07T15:00:00Z');
    await t.connect();
    const byMonth = await detailsOf(futures('CL', { lastTradeDateOrContractMonth: '202702' }), 2);
    expect(byMonth.map((d) => [d.contractMonth, d.contract.lastTradeDateOrContractMonth, d.contract.localSymbol])).toEqual([['202702', '20270120', 'CLG7']]);
    const byLastTrade = await detailsOf(futures('CL', { lastTradeDateOrContractMonth: '20270120' }), 3);
    expect(byLastTrade.map((d) => d.contractMonth)).toEqual(['202702']);
  });

  it('answers 200 to an order for an expired or unlisted month, and ambiguity for no month', async () => {
    clock.t = at('2026-12-07T15:00:00Z');
    const id = await t.connect();
    t.client.ib.placeOrder(id, futures('ES', { lastTradeDateOrContractMonth: '202609' }), order('BUY', 1, 'MKT'));
    expect((await t.client.expectError(200, id)).message).toMatch(/No security definition/);
    t.client.ib.placeOrder(id + 1, futures('ES', { lastTradeDateOrContractMonth: '202702' }), order('BUY', 1, 'MKT'));
    await t.client.expectError(200, id + 1);
    t.client.ib.reqMktData(7, futures('ES', { lastTradeDateOrContractMonth: '' }), '', false, false);
    expect((await t.client.expectError(200, 7)).message).toBe('The contract description specified for ES is ambiguous.');
    expect(t.sim.orders()).toHaveLength(0);
  });

  it('expires DAY orders when the session closes; GTC orders rest through the break', async () => {
    clock.t = at('2026-12-08T21:58:00Z'); // Tuesday 15:58 CT
    t.sim.stepPrices(1);
    const id = await t.connect();
    const low = t.sim.price('ES') - 50;
    const dayCancelled = t.client.next(EventName.orderStatus, (orderId: number, status: string) => orderId === id && status === 'Cancelled');
    t.client.ib.placeOrder(id, futures('ES'), order('BUY', 1, 'LMT', { lmtPrice: low, tif: 'DAY' }));
    t.client.ib.placeOrder(id + 1, futures('ES'), order('BUY', 1, 'LMT', { lmtPrice: low, tif: 'GTC' }));
    await t.client.next(EventName.orderStatus, (orderId: number) => orderId === id + 1);
    clock.t = at('2026-12-08T22:00:30Z'); // 16:00:30 CT: the daily break
    t.sim.stepPrices(1);
    await dayCancelled;
    await t.client.expectError(202, id);
    expect(t.sim.openOrders().map((o) => o.orderId)).toEqual([id + 1]);
  });

  it('moves no price and fills nothing outside the session; a resting order works at the open', async () => {
    clock.t = at('2026-12-12T18:00:00Z'); // Saturday
    t.sim.stepPrices(1);
    const before = t.sim.price('ES');
    const id = await t.connect();
    t.client.ib.placeOrder(id, futures('ES', { lastTradeDateOrContractMonth: '202703' }), order('BUY', 1, 'MKT', { tif: 'GTC' }));
    await t.client.next(EventName.orderStatus, (orderId: number) => orderId === id);
    t.sim.stepPrices(20);
    expect(t.sim.price('ES')).toBe(before);
    expect(t.sim.ledger.all().filter((e) => e.orderId === id)).toHaveLength(0);
    const filled = t.client.next(EventName.orderStatus, (orderId: number, status: string) => orderId === id && status === 'Filled');
    clock.t = at('2026-12-13T23:01:00Z'); // Sunday 17:01 CT: Globex is open
    t.sim.stepPrices(1);
    await filled;
  });
  it('drops a month at its last trade time, cancelling its working orders', async () => {
    clock.t = at('2026-12-18T14:00:00Z'); // 08:00 CT on ESZ6's last trading day
    t.sim.stepPrices(1);
    const id = await t.connect();
    const cancelled = t.client.next(EventName.orderStatus, (orderId: number, status: string) => orderId === id && status === 'Cancelled');
    t.client.ib.placeOrder(id, futures('ES', { lastTradeDateOrContractMonth: '202612' }), order('BUY', 1, 'LMT', { lmtPrice: 1000, tif: 'GTC' }));
    await t.client.next(EventName.orderStatus, (orderId: number) => orderId === id);
    clock.t = at('2026-12-18T14:31:00Z'); // 08:31 CT: past the 08:30 CT last trade
    t.sim.stepPrices(1);
    await cancelled;
    await t.client.expectError(202, id);
    const months = (await detailsOf(futures('ES', { lastTradeDateOrContractMonth: '' }), 4)).map((d) => d.contractMonth);
    expect(months[0]).toBe('202703');
    expect(months).not.toContain('202612');
  });

});
