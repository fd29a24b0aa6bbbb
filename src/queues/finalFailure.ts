import { UnrecoverableError, type Job } from 'bullmq';

/** BullMQ throws from its own realm in sandboxed processors, so the name counts as much as the class. */
export function isUnrecoverable(error: unknown): boolean {
  return error instanceof UnrecoverableError || (error instanceof Error && error.name === 'UnrecoverableError');
}

/**
 * A failure is final when BullMQ will not retry it: every attempt is used, or the processor
 * threw UnrecoverableError. BullMQ has already counted the attempt when it emits `failed`.
 */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: unknown): boolean {
  if (isUnrecoverable(error)) return true;
  return job.attemptsMade >= Math.max(1, job.opts.attempts ?? 1);
}
