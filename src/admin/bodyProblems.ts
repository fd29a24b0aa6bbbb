import { apiError, type ApiErrorBody } from './apiError.ts';

/** A zod failure as the API reports it: each issue as `<field>: <problem>`, then the shape expected. */
export function invalidBody(issues: readonly { path: readonly PropertyKey[]; message: string }[], shape: string): ApiErrorBody {
  const problems = issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`).join('; ');
  return apiError('invalid_body', `${problems} (body: ${shape})`);
}
