import { UnrecoverableError } from 'bullmq';

/** Retrying cannot help (invalid report, unsupported type, refused): straight to `reports:dead`. */
export class PermanentReportError extends UnrecoverableError {
  readonly permanent = true;

  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

/** This attempt failed but a later one may succeed; BullMQ retries it with backoff. */
export class RetryableReportError extends Error {
  override readonly name = 'RetryableReportError';
  readonly permanent = false;
}
