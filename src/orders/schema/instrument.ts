import { z } from 'zod';
import { issueMessages } from '../../shared/zodIssues.ts';
import { isCalendarDate } from '../../shared/calendarDays.ts';

/** IB contract month (`YYYYMM`) or last trading day (`YYYYMMDD`), a real calendar date. */
export const expirySchema = z
  .string()
  .regex(/^\d{6}(\d{2})?$/, { message: 'must be YYYYMM or YYYYMMDD', abort: true })
  .refine(isCalendarExpiry, 'must be a real month (01-12) and day');

function isCalendarExpiry(expiry: string): boolean {
  if (Number(expiry.slice(0, 4)) < 1900) return false;
  return isCalendarDate(expiry.length === 6 ? `${expiry}01` : expiry);
}

export const futureBySymbolSchema = z.strictObject({
  symbol: z
    .string()
    .min(1, 'must not be empty')
    .max(16, 'must be at most 16 characters')
    .regex(/^[A-Z0-9][A-Z0-9.]*$/, 'must be upper-case letters, digits and dots (IB symbol, e.g. ES, 6E)'),
  /** Absent: the contract month the symbol's contract policy chooses when the order is taken (recorded on the order). */
  expiry: expirySchema.optional(),
});

/** IB's contract id: unambiguous, so no expiry is needed. */
export const contractByIdSchema = z.strictObject({
  conId: z.number().int('must be an integer').positive('must be positive').max(2_147_483_647, 'must fit in 32 bits'),
});

type FutureBySymbol = z.output<typeof futureBySymbolSchema>;
type ContractById = z.output<typeof contractByIdSchema>;
export type Instrument = FutureBySymbol | ContractById;
export type InstrumentInput = z.input<typeof futureBySymbolSchema> | z.input<typeof contractByIdSchema>;

/**
 * A plain union would answer "neither shape fits" to `{ symbol: 'ES', expiry: 'x' }`; picking the
 * shape by the keys present lets the error say `instrument.expiry: must be YYYYMM or YYYYMMDD` instead.
 * The picking runs first and reports; the union after it only re-checks what already passed, and is
 * what the input JSON Schema shows (zod describes a transform-then-schema pipe by its second half).
 */
export const instrumentSchema = z
  .transform((value: InstrumentInput, ctx): Instrument => {
    const shape = shapeOf(value);
    if (shape === undefined) {
      ctx.addIssue({ code: 'custom', message: value === undefined ? 'required' : 'must be { symbol, expiry? } or { conId }' });
      return z.NEVER;
    }
    const result = shape.safeParse(value, { error: issueMessages });
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue, input: undefined } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  })
  .pipe(z.union([futureBySymbolSchema, contractByIdSchema]));

function shapeOf(value: unknown): z.ZodType<Instrument> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const hasConId = 'conId' in value;
  const hasSymbol = 'symbol' in value || 'expiry' in value;
  if (hasConId === hasSymbol) return undefined;
  return hasConId ? contractByIdSchema : futureBySymbolSchema;
}
