import { ApiError } from '../api/http.ts';

/** The API's per-field problems, by field, to show next to each input; the rest as one message. */
export function fieldErrors(error: unknown): { byField: Record<string, string>; message: string | null } {
  if (!(error instanceof ApiError)) return { byField: {}, message: error ? (error instanceof Error ? error.message : String(error)) : null };
  const byField: Record<string, string> = {};
  for (const problem of error.fields) byField[problem.field] = problem.message;
  return { byField, message: error.fields.length > 0 ? null : `${error.message} (${error.status} ${error.code})` };
}
