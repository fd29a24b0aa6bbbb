import { UnrecoverableError } from 'bullmq';

/** The destination could not be reached or answered badly; the same submission may work later. */
export class RetryableTransportError extends Error {
  override name = 'RetryableTransportError';
  readonly permanent = false;
}

/**
 * The destination refused the submission itself (e.g. HTTP 400): sending the same bytes again
 * cannot help. An UnrecoverableError, so BullMQ does not retry it.
 */
export class PermanentTransportError extends UnrecoverableError {
  readonly permanent = true;
}

/** No acknowledgement within the timeout. Retryable: the submission is in the ledger, so a retry only waits again. */
export class AckTimeoutError extends RetryableTransportError {
  constructor(reportId: string, timeoutMs: number) {
    super(`no acknowledgement for report ${reportId} within ${timeoutMs} ms`);
    this.name = 'AckTimeoutError';
  }
}

/** Whether an error means the destination is unhealthy (what the circuit breaker should count). */
export function isRetryableTransportFailure(error: unknown): boolean {
  return !(error instanceof PermanentTransportError);
}
