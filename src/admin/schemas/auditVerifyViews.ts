import { z } from 'zod';

const bound = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 time with a zone, e.g. 2026-12-07T15:00:00Z' })
  .transform((text) => Date.parse(text));

/** `POST /audit/verify`: the range to verify (inclusive, by the records' time); absent, the whole trail. */
export const auditVerifyBodySchema = z
  .strictObject({
    from: bound.optional().describe('From this time (inclusive)'),
    to: bound.optional().describe('Up to this time (inclusive)'),
  })
  .refine((range) => range.from === undefined || range.to === undefined || range.from <= range.to, { message: 'must not be after to', path: ['from'] });

export const auditVerifySchema = z
  .object({
    ok: z.boolean().describe('True when nothing was found wrong'),
    records: z.number().int().nonnegative().describe('Records checked'),
    problems: z.array(
      z.object({
        seq: z.number().int().optional().describe('The record concerned (the first one, for a run of them)'),
        kind: z.string().describe('`changed`, `brokenLink`, `missing`, `truncated`, `headMismatch`, `discontinuity`, …'),
        message: z.string(),
      }),
    ),
    from: z.iso.datetime({ offset: true }).nullable(),
    to: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'AuditVerification', description: 'What verifying the audit trail found (as `tradewire audit verify --json`)' });

export type AuditVerifyView = z.output<typeof auditVerifySchema>;
export type AuditVerifyRange = { fromMs?: number; toMs?: number };
