import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CATEGORY_POLICY, MESSAGE_CATEGORIES, classifyMessage, type MessageClassification } from '../../src/ib/messageCodes/index.ts';

function expectValid(result: MessageClassification): void {
  expect(MESSAGE_CATEGORIES).toContain(result.category);
  const policy = CATEGORY_POLICY[result.category];
  expect(result.action).toBe(policy.action);
  expect(result.severity).toBe(policy.severity);
  expect(result.routing).toBe(policy.routing);
}

describe('classifyMessage on any input', () => {
  it('returns a valid classification for any number, including NaN, infinities and negatives', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, -0)), fc.option(fc.string(), { nil: undefined }), (code, message) => {
        expectValid(classifyMessage(code, message));
      }),
    );
  });

  it('calls non-integers unknown', () => {
    fc.assert(
      fc.property(fc.double().filter((d) => !Number.isInteger(d)), (code) => {
        expect(classifyMessage(code).category).toBe('unknown');
      }),
    );
  });

  it('never throws for values of the wrong type', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (code, message) => {
        expectValid(classifyMessage(code as number, message as string));
      }),
    );
  });

  it('lets the message change the category only for codes with matchers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 20_000 }).filter((c) => ![162, 322, 420].includes(c)), fc.string(), (code, message) => {
        expect(classifyMessage(code, message).category).toBe(classifyMessage(code).category);
      }),
    );
  });
});
