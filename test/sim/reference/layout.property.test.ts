import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimOrder } from '../../../src/sim/broker/types.ts';
import { DEFAULT_INSTRUMENTS, type Instrument } from '../../../src/instruments/instruments.ts';
import { InstrumentCatalogue } from '../../../src/instruments/catalogue.ts';
import { FrameWriter } from '../../../src/sim/protocol/frameWriter.ts';
import { writeOpenOrder } from '../../../src/sim/protocol/outgoing/orders.ts';
import { writeError } from '../../../src/sim/protocol/outgoing/system.ts';
import { REFERENCE_VERSIONS } from './ibServerVersions.ts';
import { KEY_FIELDS } from './keyFields.ts';
import { walk } from './layout.ts';
import { LAYOUT_BY_ID } from './layouts.ts';

const ES = new InstrumentCatalogue(DEFAULT_INSTRUMENTS).bySymbolName('ES') as Instrument;
const ORDER: SimOrder = {
  orderId: 17, clientId: 3, account: 'DU1234567', instrument: ES, action: 'BUY', totalQuantity: 5, orderType: 'LMT',
  lmtPrice: 5900.25, auxPrice: undefined, tif: 'GTC', orderRef: 'ref-42', whatIf: false, outsideRth: false, parentId: 0,
  ocaGroup: '', permId: 1000007, status: 'Submitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, triggered: false, resting: true,
};

function openOrderFields(sv: number, whatIf: boolean): string[] {
  const w = new FrameWriter(256);
  writeOpenOrder(w, sv, { ...ORDER, whatIf }, whatIf
    ? { status: 'PreSubmitted', margins: { initMarginBefore: 0, maintMarginBefore: 0, equityWithLoanBefore: 1e6, initMarginAfter: 22000, maintMarginAfter: 20000, equityWithLoanAfter: 999997.75, commission: 2.25 } }
    : { status: 'Submitted' });
  const frame = w.take() as Buffer;
  return frame.subarray(4).toString('utf8').replace(/\0$/, '').split('\0');
}

/** What the suite reports for one OPEN_ORDER frame: layout errors, then key-field problems. */
function judge(sv: number, frame: string[]): string[] {
  const layout = LAYOUT_BY_ID.get(Number(frame[0]))!;
  const result = walk(layout, sv, frame.slice(1));
  return result.ok ? (KEY_FIELDS[layout.name]?.(result.values, sv) ?? []) : [result.error];
}

describe('reference layouts', () => {
  it('accept the simulator OPEN_ORDER at every server version, plain and whatIf', () => {
    for (const sv of REFERENCE_VERSIONS) {
      expect(judge(sv, openOrderFields(sv, false)), `sv ${sv}`).toEqual([]);
      expect(judge(sv, openOrderFields(sv, true)), `sv ${sv} whatIf`).toEqual([]);
    }
  });

  it('reject an OPEN_ORDER with any one field dropped or added, at any server version', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REFERENCE_VERSIONS), fc.boolean(), fc.nat(), fc.boolean(), fc.constantFrom('', '0', '1', 'x'), (sv, whatIf, at, drop, extra) => {
        const frame = openOrderFields(sv, whatIf);
        const index = 1 + (at % (frame.length - 1)); // never the message id
        const mutated = drop ? frame.toSpliced(index, 1) : frame.toSpliced(index, 0, extra);
        expect(judge(sv, mutated)).not.toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('name the missing field: the pre-fix writer left modelCode out at 103..144', () => {
    const frame = openOrderFields(120, false);
    const modelCodeAt = 1 + 1 + 1 + 11 + 16 + 1 + 3 + 1; // id, version, orderId, contract, action..goodAfterTime, sharesAllocation, fa x3, faProfile
    expect(frame[modelCodeAt]).toBe('');
    expect(judge(120, frame.toSpliced(modelCodeAt, 1))).not.toEqual([]);
  });

  it('ERR_MSG carries advancedOrderRejectJson from 166 and 7-bit text from 153', () => {
    for (const sv of REFERENCE_VERSIONS) {
      const w = new FrameWriter(64);
      writeError(w, sv, 7, 201, 'Order rejected – margin €');
      const frame = (w.take() as Buffer).subarray(4).toString('utf8').replace(/\0$/, '').split('\0');
      expect(judge(sv, frame), `sv ${sv}`).toEqual([]);
      expect(frame[4]).toBe(sv >= 153 ? 'Order rejected \\u2013 margin \\u20ac' : 'Order rejected – margin €');
    }
  });
});
