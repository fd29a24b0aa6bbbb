import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChildOrderId, SLICE_SUFFIX_MAX, sliceClientOrderId } from '../../../src/machines/orders/algorithms/twapSchedule.ts';
import { clientOrderIdSchema, orderIdSchema, parseOrderJob } from '../../../src/orders/schema/index.ts';
import { validCancel, validMarketOrder, validModify } from './orderJobFixtures.ts';

/** The documented grammar, written out independently of the schema. */
const GRAMMAR = /^[A-Za-z0-9._-]{1,64}$/;
const ID_CHARS = [...'abcXYZ019._-'];
const MAX_SLICES = 500;

const grammarIds = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 });
const twapParents = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 - SLICE_SUFFIX_MAX });
const sliceIds = fc.tuple(twapParents, fc.nat({ max: MAX_SLICES - 1 })).map(([parent, index]) => sliceClientOrderId(parent, index));
/** Ids near the grammar: a ':' (or other outsider) spliced into a valid id, slice-shaped or not. */
const nearIds = fc
  .tuple(grammarIds, fc.nat(), fc.constantFrom(':', ':t1', ':t500', ' ', '/', '\u0000', 'é', '::'))
  .map(([id, at, insert]) => id.slice(0, at % (id.length + 1)) + insert + id.slice(at % (id.length + 1)));
const candidates = fc.oneof(grammarIds, sliceIds, nearIds, fc.string({ maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 70 }));

describe('clientOrderId from outside', () => {
  it('is accepted exactly when it matches ^[A-Za-z0-9._-]{1,64}$', () => {
    fc.assert(
      fc.property(candidates, (id) => {
        expect(clientOrderIdSchema.safeParse(id).success).toBe(GRAMMAR.test(id));
      }),
      { numRuns: 2_000 },
    );
  });

  it('is refused whenever it contains the child separator, and whenever it is some TWAP slice id', () => {
    fc.assert(
      fc.property(fc.oneof(sliceIds, nearIds), (id) => {
        if (id.includes(':')) expect(clientOrderIdSchema.safeParse(id).success).toBe(false);
      }),
      { numRuns: 1_000 },
    );
    fc.assert(
      fc.property(sliceIds, (id) => {
        expect(isChildOrderId(id)).toBe(true);
        expect(clientOrderIdSchema.safeParse(id).success).toBe(false);
        for (const job of [{ ...validMarketOrder, clientOrderId: id, algorithm: undefined }, { ...validCancel, clientOrderId: id }, { ...validModify, clientOrderId: id }]) {
          const parsed = parseOrderJob(job);
          expect(parsed.ok).toBe(false);
          if (!parsed.ok) expect(parsed.errors.join('\n')).toMatch(/^clientOrderId: /m);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never equals an internal id: no accepted id is any slice of any parent', () => {
    fc.assert(
      fc.property(candidates, twapParents, fc.nat({ max: MAX_SLICES - 1 }), (id, parent, index) => {
        if (!clientOrderIdSchema.safeParse(id).success) return;
        expect(isChildOrderId(id)).toBe(false);
        expect(id).not.toBe(sliceClientOrderId(parent, index));
        // The slices of an accepted id cannot be outside ids either.
        expect(clientOrderIdSchema.safeParse(sliceClientOrderId(id, index)).success).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });

  it('of a TWAP parent leaves room for every slice suffix: each slice id is a valid internal order id', () => {
    fc.assert(
      fc.property(grammarIds, fc.nat({ max: MAX_SLICES - 1 }), (parent, index) => {
        const twap = parseOrderJob({ ...validMarketOrder, clientOrderId: parent, quantity: 500, algorithm: { kind: 'twap', slices: MAX_SLICES, durationMs: 600_000 } });
        expect(twap.ok).toBe(parent.length <= 64 - SLICE_SUFFIX_MAX);
        if (twap.ok) expect(orderIdSchema.safeParse(sliceClientOrderId(parent, index)).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
