import type { z } from 'zod';
import { apiError, type ApiErrorBody } from './apiError.ts';
import { formatIssues } from '../shared/zodIssues.ts';

/** A zod failure as the API reports it: each issue as `<field>: <problem>`, then the shape expected. */
export function invalidBody(issues: readonly z.core.$ZodIssue[], shape: string): ApiErrorBody {
  const problems = formatIssues(issues, { style: 'dotted', root: 'body' }).join('; ');
  return apiError('invalid_body', `${problems} (body: ${shape})`);
}
