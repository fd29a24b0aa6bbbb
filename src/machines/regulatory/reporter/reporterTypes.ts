import type { RenderedReport, ReportRequest } from '../../../regulatory/reportTypes.ts';
import type { Ack, SubmissionReceipt } from '../../../regulatory/transports/reportTransport.ts';

export interface ReporterInput {
  request: ReportRequest;
  /** How long to wait for each report's acknowledgement before the attempt fails (retryably). */
  ackTimeoutMs: number;
}

/** Why a job did not finish; `permanent` decides between a BullMQ retry and the dead-letter queue. */
export interface ReporterFailure {
  message: string;
  permanent: boolean;
  /** Validation problems, one per line, when that is why. */
  issues: string[];
}

export interface FiledReport {
  reportId: string;
  receipt: SubmissionReceipt;
  ack: Ack;
}

export interface ReporterContext {
  request: ReportRequest;
  ackTimeoutMs: number;
  reports: RenderedReport[];
  /** The report being submitted or awaited. */
  index: number;
  receipt: SubmissionReceipt | null;
  filed: FiledReport[];
  failure: ReporterFailure | null;
  rejection: Ack | null;
}

export type ReporterOutput =
  | { outcome: 'acknowledged'; filed: FiledReport[] }
  | { outcome: 'rejected'; filed: FiledReport[]; rejection: Ack }
  | { outcome: 'failed'; filed: FiledReport[]; failure: ReporterFailure };

export interface SubmitInput {
  report: RenderedReport;
}

export interface AwaitAckInput {
  report: RenderedReport;
  receipt: SubmissionReceipt;
  timeoutMs: number;
}

export interface ValidateInput {
  request: ReportRequest;
  reports: RenderedReport[];
}
