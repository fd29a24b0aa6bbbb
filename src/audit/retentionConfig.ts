import { z } from 'zod';
import { formatIssues, issueMessages } from '../shared/zodIssues.ts';
import { AuditInputError } from './auditInputError.ts';

/** CFTC 1.31 and NFA 2-10: five years, readily accessible for the first two. Only ever longer. */
export const MIN_RETENTION_YEARS = 5;
export const MIN_READILY_ACCESSIBLE_YEARS = 2;

const years = (min: number, why: string) =>
  z.number().int('must be a whole number of years').min(min, `must be at least ${min} (${why})`).max(100, 'must be at most 100');

export const auditRetentionSchema = z
  .strictObject({
    retentionYears: years(MIN_RETENTION_YEARS, 'CFTC 1.31, NFA 2-10').default(MIN_RETENTION_YEARS),
    readilyAccessibleYears: years(MIN_READILY_ACCESSIBLE_YEARS, 'CFTC 1.31').default(MIN_READILY_ACCESSIBLE_YEARS),
  })
  .refine((r) => r.readilyAccessibleYears <= r.retentionYears, { message: 'must not exceed retentionYears', path: ['readilyAccessibleYears'] });

export type AuditRetentionConfig = z.output<typeof auditRetentionSchema>;

/** Errors name the key: `retentionYears: must be at least 5 (CFTC 1.31, NFA 2-10)`. */
export function parseRetentionConfig(value: unknown): AuditRetentionConfig {
  const parsed = auditRetentionSchema.safeParse(value ?? {}, { error: issueMessages });
  if (!parsed.success) throw new AuditInputError('invalid audit retention config', formatIssues(parsed.error.issues));
  return parsed.data;
}
