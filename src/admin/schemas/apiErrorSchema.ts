import { z } from 'zod';

/** One field a request got wrong: its dotted path (`limitPrice`, `instrument.expiry`; `body` or `query` for the whole part) and the problem. */
export const fieldErrorSchema = z
  .object({
    field: z.string().describe('The dotted path of the field (`limitPrice`, `instrument.expiry`), or the part itself (`body`, `query`, `path`) when the whole part is wrong'),
    message: z.string().describe('What is wrong with it, e.g. `required`, `unknown field`, `must be true or false`'),
  })
  .meta({ id: 'FieldError' });

/** What went wrong; its own component so an answer that carries more than the error (a 409 with the order) can refer to it. */
export const errorDetailSchema = z
  .object({
    code: z.string().describe('Stable, machine-readable: `invalid_body`, `unauthorized`, `standby`, …'),
    message: z.string().describe('For a person: what went wrong and what to do about it'),
    fields: z.array(fieldErrorSchema).min(1).optional().describe('Present when the request itself was wrong: one entry per problem, naming the field'),
  })
  .meta({ id: 'ErrorDetail' });

/**
 * The one error shape every admin route answers with: `{ error: { code, message, fields? } }`.
 * Registered (`ApiError`), so every error answer in /openapi.json refers to this one component.
 */
export const apiErrorSchema = z
  .object({ error: errorDetailSchema })
  .meta({ id: 'ApiError', description: 'Every error answer: a stable `code`, a `message` for people and, when the request was wrong, `fields`.' });
