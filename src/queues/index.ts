export { attachDeadLettering, type DeadLettering, type DeadLetteringOptions } from './attachDeadLettering';
export { DeadLetterIdError, DeadLetterNotFoundError, DeadLetterNotReplayableError } from './deadLetterErrors';
export {
  deadJobId,
  deadLetterId,
  deadLetterPrefix,
  deadLetterQueueName,
  isValidQueueName,
  parseDeadLetterId,
  replayJobId,
  type ParsedDeadLetterId,
} from './deadLetterNames';
export {
  DeadLetterQueue,
  type DeadLetterMove,
  type DeadLetterQueueOptions,
  type OnDeadLetter,
  type ReplayAllResult,
  type ReplayResult,
  type ReplayStatus,
  type SweepResult,
} from './deadLetterQueue';
export type { DeadLetterError, DeadLetterKind, DeadLetterRecord, DeadLetterReplay, RawJobFields } from './deadLetterRecord';
export { MAX_PAYLOAD_DEPTH } from './payloadDepth';
export { isFinalFailure, isUnrecoverable } from './finalFailure';
export { InvalidPayloadError } from './invalidPayloadError';
export { InvalidDurationError, parseDuration } from './parseDuration';
