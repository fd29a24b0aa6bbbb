import { formatIssues, issueMessages } from './issueMessages';
import { orderJobSchema, type OrderJob } from './orderJob';

export type OrderJobParseResult = { ok: true; job: OrderJob } | { ok: false; errors: string[] };

/**
 * Validates a job's data. Never throws: whatever a producer put on the queue (including values
 * with throwing getters or proxies) comes back as a list of `field: problem` lines.
 */
export function parseOrderJob(data: unknown): OrderJobParseResult {
  try {
    const result = orderJobSchema.safeParse(data, { error: issueMessages });
    if (result.success) return { ok: true, job: result.data };
    const errors = formatIssues(result.error.issues);
    return { ok: false, errors: errors.length > 0 ? errors : ['(root): invalid order job'] };
  } catch (error) {
    return { ok: false, errors: [`(root): could not be read (${describeThrown(error)})`] };
  }
}

function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unreadable error';
  }
}
