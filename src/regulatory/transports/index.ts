export { FileDropTransport, type FileDropOptions } from './fileDropTransport.ts';
export { guardedTransport } from './guardedTransport.ts';
export { HttpsTransport, type HttpsTransportOptions } from './httpsTransport.ts';
export { outboxFileName, reportFileStem } from './reportFileNames.ts';
export type { Ack, AwaitAckOptions, ReportTransport, SubmissionReceipt } from './reportTransport.ts';
export { AckTimeoutError, isRetryableTransportFailure, PermanentTransportError, RetryableTransportError } from './transportErrors.ts';
export { transportFromConfig } from './transportFromConfig.ts';
