import type { z } from 'zod';
import { apiError, type ApiErrorBody } from './apiError.ts';
import { requestFieldErrors } from './requestValidation.ts';

/** A zod failure as the API reports it: each issue as `<field>: <problem>`, then the shape expected. */
export function invalidBody(issues: readonly z.core.$ZodIssue[], shape: string): ApiErrorBody {
  const fields = requestFieldErrors(issues, 'body');
  const problems = fields.map(({ field, message }) => `${field}: ${message}`).join('; ');
  return apiError('invalid_body', `${problems} (body: ${shape})`, fields);
}
