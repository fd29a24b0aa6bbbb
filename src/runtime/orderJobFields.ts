import type { FieldError } from '../admin/apiError.ts';
import { requestFieldErrors } from '../admin/requestValidation.ts';
import { orderJobSchema } from '../orders/schema/index.ts';
import { issueMessages } from '../shared/zodIssues.ts';

/**
 * A refused order job's problems by field (`limitPrice`, `instrument.expiry`; `body` for the job
 * as a whole), as the admin API names them: the parse parseOrderJob ran, with its messages. A job
 * that cannot even be read (a throwing getter) is one problem with the whole body.
 */
export function orderJobFields(job: unknown): FieldError[] {
  try {
    const parsed = orderJobSchema.safeParse(job, { error: issueMessages });
    return parsed.success ? [] : requestFieldErrors(parsed.error.issues, 'body');
  } catch {
    return [{ field: 'body', message: 'could not be read' }];
  }
}
