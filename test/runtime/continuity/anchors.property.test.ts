import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceAnchors, assessAnchors, NOTHING_REMEMBERED, type RememberedAnchors, type StoredAnchors } from '../../../src/runtime/continuity/anchors.ts';

const hash = fc.stringMatching(/^[0-9a-f]{64}$/);
const point = fc.record({ streamId: fc.stringMatching(/^[1-9]\d{0,12}-\d$/), seq: fc.integer({ min: 1, max: 1_000_000 }), hash });
const remembered = fc.record({
  epoch: fc.uuid(),
  orderIdMarks: fc.dictionary(fc.constantFrom('ib', 'ib-2', 'ib-3'), fc.integer({ min: 0, max: 1_000_000 })),
  auditHead: fc.option(point, { nil: null }),
});

/** The store as a healthy Redis would have it a moment later: same epoch, marks only higher, the head still there, maybe more after it. */
const grownFrom = (known: RememberedAnchors) =>
  fc.record({ bumps: fc.array(fc.nat(1_000), { minLength: 3, maxLength: 3 }), tip: fc.option(point, { nil: null }) }).map(({ bumps, tip }): StoredAnchors => ({
    epoch: known.epoch,
    orderIdMarks: Object.fromEntries(Object.entries(known.orderIdMarks).map(([id, mark], i) => [id, mark + (bumps[i % 3] ?? 0)])),
    auditAtRememberedHead: known.auditHead,
    auditTip: tip ?? known.auditHead,
  }));

describe('assessAnchors', () => {
  it('a store that only moved forward is intact, and what is remembered then never goes backwards', () => {
    fc.assert(
      fc.property(remembered.chain((known) => fc.tuple(fc.constant(known), grownFrom(known))), ([known, stored]) => {
        expect(assessAnchors(known, stored)).toEqual({ verdict: 'intact' });
        const next = advanceAnchors(known, stored, stored.epoch!);
        for (const [id, mark] of Object.entries(known.orderIdMarks)) expect(next.orderIdMarks[id]).toBeGreaterThanOrEqual(mark);
        expect(next.auditHead).toEqual(stored.auditTip);
      }),
      { numRuns: 200 },
    );
  });

  it('names exactly the anchors that were lost: epoch gone or changed, a mark lower, the head record gone or different', () => {
    const damage = fc.record({ epoch: fc.constantFrom('kept', 'gone', 'changed'), mark: fc.boolean(), head: fc.constantFrom('kept', 'gone', 'changed') });
    fc.assert(
      fc.property(remembered, damage, hash, (known, hurt, otherHash) => {
        const markIds = Object.keys(known.orderIdMarks).filter((id) => (known.orderIdMarks[id] ?? 0) > 0);
        const stored: StoredAnchors = {
          epoch: hurt.epoch === 'kept' ? known.epoch : hurt.epoch === 'gone' ? null : `${known.epoch}-other`,
          orderIdMarks: Object.fromEntries(Object.entries(known.orderIdMarks).map(([id, mark]) => [id, hurt.mark ? Math.max(0, mark - 1) : mark])),
          auditAtRememberedHead:
            known.auditHead === null || hurt.head === 'gone' ? null : hurt.head === 'changed' && otherHash !== known.auditHead.hash ? { ...known.auditHead, hash: otherHash } : known.auditHead,
          auditTip: null,
        };
        const expected = [
          ...(hurt.epoch === 'kept' ? [] : ['epoch']),
          ...(hurt.mark && markIds.length > 0 ? ['order-id mark'] : []),
          ...(known.auditHead !== null && stored.auditAtRememberedHead !== known.auditHead ? ['audit head'] : []),
        ];
        const verdict = assessAnchors(known, stored);
        if (expected.length === 0) expect(verdict).toEqual({ verdict: 'intact' });
        else expect(verdict).toMatchObject({ verdict: 'lost', lost: expected });
      }),
      { numRuns: 300 },
    );
  });

  it('with nothing remembered: an empty store is a first start, any state in it is adopted', () => {
    const empty: StoredAnchors = { epoch: null, orderIdMarks: { ib: 0 }, auditAtRememberedHead: null, auditTip: null };
    expect(assessAnchors(NOTHING_REMEMBERED, empty)).toEqual({ verdict: 'fresh' });
    expect(assessAnchors(NOTHING_REMEMBERED, { ...empty, orderIdMarks: { ib: 51 } })).toEqual({ verdict: 'adopt' });
    expect(assessAnchors(NOTHING_REMEMBERED, { ...empty, epoch: 'e' })).toEqual({ verdict: 'adopt' });
  });
});
