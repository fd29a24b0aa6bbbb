export { FileDropTransport, type FileDropOptions } from './fileDropTransport';
export { guardedTransport } from './guardedTransport';
export { HttpsTransport, type HttpsTransportOptions } from './httpsTransport';
export { outboxFileName, reportFileStem } from './reportFileNames';
export type { Ack, AwaitAckOptions, ReportTransport, SubmissionReceipt } from './reportTransport';
export { AckTimeoutError, isRetryableTransportFailure, PermanentTransportError, RetryableTransportError } from './transportErrors';
export { transportFromConfig } from './transportFromConfig';
