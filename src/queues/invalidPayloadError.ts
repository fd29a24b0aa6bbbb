import { UnrecoverableError } from 'bullmq';

/**
 * Thrown by a processor for a payload that can never succeed: BullMQ does not retry it, and the
 * dead-letter reason is the list of validation errors.
 */
export class InvalidPayloadError extends UnrecoverableError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`invalid payload: ${issues.length > 0 ? issues.join('; ') : 'rejected by validation'}`);
    this.issues = [...issues];
  }
}
