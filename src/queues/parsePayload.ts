import type { z } from 'zod';
import { formatIssues, issueMessages } from '../shared/zodIssues.ts';
import { errorMessage } from '../shared/errorMessage.ts';

export type PayloadParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/**
 * Validates a queue job's data. Never throws: whatever a producer put on a queue (including values
 * with throwing getters or proxies) comes back as a list of `field: problem` lines.
 */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown, what: string): PayloadParseResult<z.output<S>> {
  try {
    const result = schema.safeParse(data, { error: issueMessages });
    if (result.success) return { ok: true, value: result.data };
    const errors = formatIssues(result.error.issues);
    return { ok: false, errors: errors.length > 0 ? errors : [`(root): invalid ${what}`] };
  } catch (error) {
    return { ok: false, errors: [`(root): could not be read (${describeThrown(error)})`] };
  }
}

function describeThrown(error: unknown): string {
  try {
    return errorMessage(error);
  } catch {
    return 'unreadable error';
  }
}
