import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldProblems, formatIssues, formatPath } from '../../src/shared/zodIssues.ts';

const schema = z.strictObject({ legs: z.array(z.strictObject({ symbol: z.string(), qty: z.number() })), note: z.string().optional() });
const issuesOf = (value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error.issues;
};

describe('zod issues as the product reports them', () => {
  it('names each field: indexed by default, dotted for config keys and the other contracts that use it, under a key when given', () => {
    const issues = issuesOf({ legs: [{ symbol: 'ES', qty: 'x' }] });
    expect(formatIssues(issues)).toEqual(['legs[0].qty: Invalid input: expected number, received string']);
    expect(formatIssues(issues, { style: 'dotted', under: 'marketData' })).toEqual(['marketData.legs.0.qty: Invalid input: expected number, received string']);
    expect(formatIssues(issues, { under: 'params' })).toEqual(['params.legs[0].qty: Invalid input: expected number, received string']);
  });

  it('gives every unknown key a line of its own', () => {
    const issues = issuesOf({ legs: [], extra: 1, 'odd key': 2 });
    expect(formatIssues(issues)).toEqual(['extra: unknown field', '["odd key"]: unknown field']);
    expect(formatIssues(issues, { style: 'dotted', unknownKey: 'unknown key (check the spelling)' })).toEqual(['extra: unknown key (check the spelling)', 'odd key: unknown key (check the spelling)']);
  });

  it('calls the value itself by the root name given', () => {
    const issues = issuesOf('not an object');
    expect(formatIssues(issues)).toEqual(['(root): Invalid input: expected object, received string']);
    expect(formatIssues(issues, { root: 'body' })).toEqual(['body: Invalid input: expected object, received string']);
    expect(formatPath([], { style: 'dotted', root: '' })).toBe('');
  });

  it('loses no problem: one line per field problem, each naming its path', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const parsed = schema.safeParse(value);
        if (parsed.success) return;
        const problems = fieldProblems(parsed.error.issues);
        const lines = formatIssues(parsed.error.issues);
        expect(lines).toHaveLength(problems.length);
        for (const [index, problem] of problems.entries()) expect(lines[index]!.startsWith(`${formatPath(problem.path)}: `)).toBe(true);
      }),
    );
  });
});
