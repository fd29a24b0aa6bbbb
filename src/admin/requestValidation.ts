import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { fieldProblems, formatPath, issueMessages } from '../shared/zodIssues.ts';
import { apiError, type ApiErrorBody, type FieldError } from './apiError.ts';

/** What a request part is called in an error code (`invalid_query`) and when the whole part is wrong. */
const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** A request part that failed its route's zod schema; the error handler turns it into a 400. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly part: string,
    readonly fields: FieldError[],
  ) {
    super(fields.map(({ field, message }) => `${field}: ${message}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

/** The problems of one failed parse, each named by its field (`limitPrice`, `limit`; the part itself for the whole). */
export function requestFieldErrors(issues: readonly z.core.$ZodIssue[], part: string): FieldError[] {
  const root = PART_NAMES[part] ?? part;
  return fieldProblems(issues).map(({ path, message, unknownKey }) => ({
    field: formatPath(path, { style: 'dotted', root }),
    message: unknownKey ? 'unknown field' : message,
  }));
}

/**
 * Route schemas are the zod schemas the runtime validates with, parsed with the product's own
 * messages ("required", "expected number, got \"abc\"") rather than zod's defaults, so a field is
 * named the same way here as in a dead letter or a config error.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const parsed = schema.safeParse(data, { error: issueMessages });
    if (parsed.success) return { value: parsed.data };
    return { error: new RequestValidationError(httpPart ?? 'body', requestFieldErrors(parsed.error.issues, httpPart ?? 'body')) };
  };

/**
 * For a route whose handler checks its own input with the very zod schemas the route declares:
 * the schemas document the route (/openapi.json) but fastify does not run them before the
 * handler. Those handlers answer in an order and with codes clients already rely on: a queue that
 * does not exist before a bad body (404 `unknown_queue`), a missing capability before the body
 * (503), a disabled test route's 404 before its parameters, `invalid_event` or `invalid_symbol`
 * rather than `invalid_<part>`, and the expected shape in the message.
 */
export const checkedByHandler: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });

/** The 400 a failed request schema answers with: `invalid_<part>`, the problems in the message and as `fields`. */
export function validationErrorBody(error: RequestValidationError): ApiErrorBody {
  const part = PART_NAMES[error.part] ?? error.part;
  return apiError(`invalid_${part}`, error.message, error.fields);
}
