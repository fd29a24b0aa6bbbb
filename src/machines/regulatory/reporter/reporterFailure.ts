import type { ReporterFailure } from './reporterTypes.ts';

/**
 * What went wrong, as data. Permanent when the error says so: a `permanent: true` flag (pipeline
 * and transport errors), BullMQ's UnrecoverableError family, or an unsupported report type.
 * Anything else (a network error, a Redis blip) is worth retrying.
 */
export function failureFrom(error: unknown): ReporterFailure {
  return { message: messageOf(error), permanent: isPermanent(error), issues: [] };
}

export function invalidReports(issues: readonly string[]): ReporterFailure {
  return { message: `report validation failed: ${issues.join('; ')}`, permanent: true, issues: [...issues] };
}

export function ackTimedOut(reportId: string, timeoutMs: number): ReporterFailure {
  return { message: `no acknowledgement for report ${reportId} within ${timeoutMs} ms`, permanent: false, issues: [] };
}

const PERMANENT_NAMES = new Set(['UnrecoverableError', 'UnsupportedReportError']);

function isPermanent(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const flagged = (error as { permanent?: unknown }).permanent;
  if (typeof flagged === 'boolean') return flagged;
  if (PERMANENT_NAMES.has(String((error as { name?: unknown }).name))) return true;
  return isUnrecoverableClass(error);
}

/** BullMQ's UnrecoverableError subclasses take their class name, so walk the prototype chain by name. */
function isUnrecoverableClass(error: object): boolean {
  for (let proto = Object.getPrototypeOf(error); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if ((proto.constructor as { name?: string } | undefined)?.name === 'UnrecoverableError') return true;
  }
  return false;
}

function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) return error.message || error.name;
    return String(error);
  } catch {
    return 'unreadable error';
  }
}
