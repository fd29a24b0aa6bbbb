export { attachDeadLettering, type DeadLettering, type DeadLetteringOptions } from './attachDeadLettering.ts';
export { DeadLetterIdError, DeadLetterNotFoundError, DeadLetterNotReplayableError } from './deadLetterErrors.ts';
export {
  deadJobId,
  deadLetterId,
  deadLetterPrefix,
  deadLetterQueueName,
  isValidQueueName,
  parseDeadLetterId,
  replayJobId,
  type ParsedDeadLetterId,
} from './deadLetterNames.ts';
export {
  DeadLetterQueue,
  type DeadLetterMove,
  type DeadLetterQueueOptions,
  type OnDeadLetter,
  type ReplayAllResult,
  type ReplayResult,
  type ReplayStatus,
  type SweepResult,
} from './deadLetterQueue.ts';
export type { DeadLetterError, DeadLetterKind, DeadLetterRecord, DeadLetterReplay, RawJobFields } from './deadLetterRecord.ts';
export { MAX_PAYLOAD_DEPTH } from './payloadDepth.ts';
export { isFinalFailure, isUnrecoverable } from './finalFailure.ts';
export { InvalidPayloadError } from './invalidPayloadError.ts';
export { InvalidDurationError, parseDuration } from './parseDuration.ts';
