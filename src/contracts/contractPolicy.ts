import { z } from 'zod';

/** Where a roll rule counts back from: the last trade date, or the first notice date where the product has one. */
const ROLL_FROM = ['lastTrade', 'firstNotice'] as const;
export type RollFrom = (typeof ROLL_FROM)[number];

export interface RollRule {
  /** Business days (exchange calendar) before the rule date on which the next month takes over. */
  businessDaysBefore: number;
  /**
   * `lastTrade`: count back from the last trade date. `firstNotice`: from the first notice date
   * when the product is physically delivered and has one before its last trade date (a long
   * position held into first notice may be assigned delivery), otherwise from the last trade date.
   */
  from: RollFrom;
}

/** `front`: the nearest unexpired month; 'YYYYMM': that month; `{ roll }`: the month a roll rule says. */
export type ContractPolicy = 'front' | `${number}` | { roll: RollRule };

/** Per symbol, `*` for every symbol not named. */
export type ContractPolicies = Record<string, ContractPolicy>;

/**
 * For a symbol nobody configured: hold a month until 5 business days before its first notice
 * date (physically delivered products: CL, GC, ZN...) or its last trade date (cash-settled: ES,
 * NQ...). That is before the delivery period, before the liquidity moves on in the last week, and
 * far enough ahead that a day of downtime still rolls in time.
 */
export const DEFAULT_CONTRACT_POLICY: ContractPolicy = { roll: { businessDaysBefore: 5, from: 'firstNotice' } };

const POLICY_SHAPES = "'front', a contract month 'YYYYMM' or { roll: { businessDaysBefore, from } }";

const namedSchema = z.string().regex(/^(front|\d{4}(0[1-9]|1[0-2]))$/, `must be ${POLICY_SHAPES}`);

const rollSchema = z.strictObject({
  roll: z.strictObject({
    businessDaysBefore: z.number().int('must be a whole number of business days').min(0, 'must not be negative').max(60, 'must be at most 60'),
    from: z.enum(ROLL_FROM, { error: `must be one of ${ROLL_FROM.join(', ')}` }),
  }),
});

/**
 * One symbol's policy. The shape is picked by the value's type (text or object), so an error names
 * the inner key (`CL.roll.from: must be one of ...`) instead of "matches none of the shapes".
 */
const contractPolicySchema = z.unknown().superRefine((value, ctx) => {
  const shape = typeof value === 'string' ? namedSchema : typeof value === 'object' && value !== null && !Array.isArray(value) ? rollSchema : undefined;
  if (!shape) {
    ctx.addIssue({ code: 'custom', message: `must be ${POLICY_SHAPES}` });
    return;
  }
  const result = shape.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}) as unknown as z.ZodType<ContractPolicy>;

/** `marketData.contracts`: symbol (or `*`) → policy. */
export const contractPoliciesSchema = z.record(z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9.]*)$/, 'must be an IB symbol or *'), contractPolicySchema);

/** The policy of `symbol`: its own, else `*`, else the default roll rule. */
export function policyFor(policies: ContractPolicies | undefined, symbol: string): ContractPolicy {
  return policies?.[symbol] ?? policies?.['*'] ?? DEFAULT_CONTRACT_POLICY;
}

/** For logs and errors: `front`, `202703`, `roll 5 business days before firstNotice`. */
export function describePolicy(policy: ContractPolicy): string {
  return typeof policy === 'string' ? policy : `roll ${policy.roll.businessDaysBefore} business days before ${policy.roll.from}`;
}
