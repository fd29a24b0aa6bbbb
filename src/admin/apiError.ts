import type { z } from 'zod';
import type { apiErrorSchema, fieldErrorSchema } from './schemas/apiErrorSchema.ts';

/** One field a request got wrong: its dotted path (`limitPrice`, `instrument.expiry`; `body` or `query` for the whole part) and the problem. */
export type FieldError = z.output<typeof fieldErrorSchema>;

/**
 * The one error shape every admin route answers with: `{ error: { code, message, fields? } }`.
 * `fields` is there when the request itself was wrong, so a client can point at what to fix.
 */
export type ApiErrorBody = z.output<typeof apiErrorSchema>;

export function apiError(code: string, message: string, fields?: FieldError[]): ApiErrorBody {
  return fields && fields.length > 0 ? { error: { code, message, fields } } : { error: { code, message } };
}
