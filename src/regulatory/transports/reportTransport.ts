import type { RenderedReport } from '../reportTypes.ts';

/** What a regulator said about one filed report. */
export interface Ack {
  reportId: string;
  status: 'accepted' | 'rejected';
  /** Why it was rejected (or a note, e.g. "already filed"). */
  reason?: string;
  /** ISO-8601. */
  receivedAt: string;
}

/** Proof that a report left us: what the transport needs later to find its acknowledgement. */
export interface SubmissionReceipt {
  reportId: string;
  transport: 'file' | 'https';
  /** The outbox file name, or the endpoint's reference for the submission. */
  reference: string;
  /** ISO-8601. */
  submittedAt: string;
  /** The destination already had this report (a replay or retry): nothing new was filed. */
  alreadyFiled: boolean;
  /** Set when the destination answered the submission itself with the acknowledgement (HTTPS). */
  ack?: Ack;
}

export interface AwaitAckOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How reports reach a regulator. Errors are TransportErrors, which say whether retrying can help. */
export interface ReportTransport {
  readonly kind: 'file' | 'https';
  /** Where reports go, safe to log (no credentials). */
  readonly target: string;
  submit(report: RenderedReport): Promise<SubmissionReceipt>;
  awaitAck(receipt: SubmissionReceipt, options: AwaitAckOptions): Promise<Ack>;
}
