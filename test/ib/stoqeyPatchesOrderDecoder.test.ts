import { describe, expect, it } from 'vitest';
import { walk, type MessageLayout } from '../sim/reference/layout.ts';
import { COMPLETED_ORDER, LAYOUT_BY_ID } from '../sim/reference/layouts.ts';
import { decodeWithClient } from '../sim/wireCodec.ts';

/**
 * patches/@stoqey+ib+1.6.10.patch makes @stoqey/ib's OrderDecoder gate modelCode and faProfile on
 * the server version, as IB's reference decoder does (EOrderDecoder.readModelCode,
 * orderdecoder.py decodeFAParams). Unpatched it gated both on the message version, which is 34 for
 * open orders below 145 (modelCode dropped at 103..144) and Number.MAX_VALUE for completed orders
 * (faProfile dropped at 150..176, versions a current gateway can still speak).
 *
 * Frames are built from IB's reference layouts (test/sim/reference) with distinct values around the
 * gated fields and at the end, so a decoder one field off shows up as values in the wrong places.
 */

/** A frame laid out as IB's decoder reads it at `sv`, with the given values and the rest unset. */
function referenceFrame(layout: MessageLayout, sv: number, values: Record<string, string>): string[] {
  const fields: string[] = [];
  // walk needs the frame to decide gates on values, so grow it one field at a time until it fits
  for (let guard = 0; guard < 400; guard++) {
    const result = walk(layout, sv, fields);
    if (result.ok) return [String(layout.id), ...fields];
    const missing = /before (\w+)/.exec(result.error)?.[1];
    if (!missing) throw new Error(result.error);
    fields.push(values[missing] ?? defaultValue(missing));
  }
  throw new Error('layout did not converge');
}

/** Unset, as TWS sends what an order does not use; counts are 0 so no optional group is read. */
function defaultValue(name: string): string {
  return name.endsWith('Count') ? '0' : '';
}

describe('@stoqey/ib OrderDecoder, patched to gate on the server version', () => {
  it.each([103, 120, 144, 145, 150, 176, 193])('openOrder at %i: modelCode and the fields after it land where IB puts them', (sv) => {
    const layout = LAYOUT_BY_ID.get(5) as MessageLayout;
    const frame = referenceFrame(layout, sv, {
      version: '34', orderId: '17', symbol: 'ES', secType: 'FUT', action: 'BUY', totalQuantity: '2', orderType: 'LMT', lmtPrice: '5900.25',
      account: 'DU1234567', orderRef: 'ref-1', modelCode: 'MODEL-7', goodTillDate: '20261231 23:59:59', rule80A: 'A', settlingFirm: 'FIRM',
      whatIf: '0', status: 'Submitted', warningText: 'careful',
    });
    const outcome = decodeWithClient(sv, (w) => {
      w.begin(5);
      for (const value of frame.slice(1)) w.str(value);
      w.end();
    });
    expect(outcome.errors).toEqual([]);
    const [id, contract, order, state] = outcome.events.find((e) => e.name === 'openOrder')?.args as [number, any, any, any];
    expect(id).toBe(17);
    expect(contract).toMatchObject({ symbol: 'ES', secType: 'FUT' });
    expect(order).toMatchObject({ modelCode: 'MODEL-7', goodTillDate: '20261231 23:59:59', rule80A: 'A', settlingFirm: 'FIRM', orderRef: 'ref-1', account: 'DU1234567' });
    expect(state).toMatchObject({ status: 'Submitted', warningText: 'careful' });
  });

  it.each([150, 160, 176, 177, 183, 193])('completedOrder at %i: faProfile read below 177, everything after it in place', (sv) => {
    const frame = referenceFrame(COMPLETED_ORDER, sv, {
      symbol: 'NQ', secType: 'FUT', action: 'SELL', totalQuantity: '3', orderType: 'MKT', account: 'DU1234567', orderRef: 'ref-done',
      faGroup: 'G', faMethod: 'M', faPercentage: 'P', faProfile: 'PROFILE-1', modelCode: 'MODEL-7', goodTillDate: 'GTD', status: 'Filled',
      completedTime: '20261124 14:30:00 America/Chicago', completedStatus: 'Filled Size: 3', parentPermId: '99', customerAccount: 'CUST',
    });
    const outcome = decodeWithClient(sv, (w) => {
      w.begin(101);
      for (const value of frame.slice(1)) w.str(value);
      w.end();
    });
    expect(outcome.errors).toEqual([]);
    const [contract, order, state] = outcome.events.find((e) => e.name === 'completedOrder')?.args as [any, any, any];
    expect(contract).toMatchObject({ symbol: 'NQ', secType: 'FUT' });
    expect(order).toMatchObject({ action: 'SELL', totalQuantity: 3, orderRef: 'ref-done', faGroup: 'G', faPercentage: 'P', modelCode: 'MODEL-7', goodTillDate: 'GTD', parentPermId: 99 });
    expect(order.faProfile).toBe(sv < 177 ? 'PROFILE-1' : undefined);
    expect(state).toMatchObject({ status: 'Filled', completedTime: '20261124 14:30:00 America/Chicago', completedStatus: 'Filled Size: 3' });
    if (sv >= 183) expect(order.customerAccount).toBe('CUST');
  });
});
