import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RenderedReport } from '../reportTypes.ts';
import { classifyStatus, parseEndpointAnswer } from './endpointAnswer.ts';
import type { Ack, AwaitAckOptions, ReportTransport, SubmissionReceipt } from './reportTransport.ts';
import { PermanentTransportError, RetryableTransportError } from './transportErrors.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface HttpsTransportOptions {
  /** The endpoint reports are POSTed to. `http:` is accepted for local test endpoints. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`; never logged or put in an error. */
  bearerToken?: string;
  timeoutMs: number;
  /** PEM CA certificate(s) to trust for the endpoint, e.g. a private regulator CA. */
  ca?: string | Buffer;
  now?: () => Date;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

interface HttpAnswer {
  status: number;
  body: string;
}

/** POSTs each report to one endpoint, with the report id as the Idempotency-Key. */
export class HttpsTransport implements ReportTransport {
  readonly kind = 'https' as const;
  readonly target: string;
  private readonly url: URL;
  private readonly now: () => Date;

  constructor(private readonly options: HttpsTransportOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:') throw new Error(`report endpoint must be an https:// URL; got ${this.url.protocol}`);
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw new Error(`report endpoint timeoutMs must be a positive number; got ${options.timeoutMs}`);
    this.now = options.now ?? (() => new Date());
    // Origin and path only: user info and query strings can hold credentials.
    this.target = `${this.url.origin}${this.url.pathname}`;
  }

  async submit(report: RenderedReport): Promise<SubmissionReceipt> {
    const answer = await this.post(report);
    const submittedAt = this.now().toISOString();
    const base = { reportId: report.id, transport: 'https' as const, submittedAt };
    switch (classifyStatus(answer.status)) {
      case 'already_filed':
        return { ...base, reference: `http-409`, alreadyFiled: true, ack: { reportId: report.id, status: 'accepted', reason: 'already filed (HTTP 409)', receivedAt: submittedAt } };
      case 'retryable':
        throw new RetryableTransportError(`${this.target} answered HTTP ${answer.status} to report ${report.id}: ${snippet(answer.body)}`);
      case 'permanent':
        throw new PermanentTransportError(`${this.target} refused report ${report.id} with HTTP ${answer.status}: ${snippet(answer.body)}`);
      case 'answered': {
        const parsed = parseEndpointAnswer(answer.body);
        // The endpoint took the request but we cannot read whether it filed it: retrying is safe,
        // because the same Idempotency-Key makes a second POST answer 409 if it did.
        if (!parsed) throw new RetryableTransportError(`${this.target} answered HTTP ${answer.status} to report ${report.id} with an unreadable body: ${snippet(answer.body)}`);
        const ack: Ack = { reportId: report.id, status: parsed.status, receivedAt: submittedAt, ...(parsed.reason ? { reason: parsed.reason } : {}) };
        return { ...base, reference: parsed.reference ?? `http-${answer.status}`, alreadyFiled: false, ack };
      }
    }
  }

  /** The endpoint answers in the response itself, so the acknowledgement is already in the receipt. */
  async awaitAck(receipt: SubmissionReceipt, _options: AwaitAckOptions): Promise<Ack> {
    if (receipt.ack) return receipt.ack;
    throw new PermanentTransportError(`receipt for report ${receipt.reportId} from ${this.target} carries no acknowledgement`);
  }

  private post(report: RenderedReport): Promise<HttpAnswer> {
    const body = Buffer.from(report.body, 'utf8');
    const headers: Record<string, string | number> = {
      'content-type': report.contentType,
      'content-length': body.length,
      'idempotency-key': report.id,
      'x-report-file-name': report.fileName,
      'x-report-format': report.format,
      accept: 'application/json',
    };
    if (this.options.bearerToken) headers.authorization = `Bearer ${this.options.bearerToken}`;
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    return new Promise<HttpAnswer>((resolve, reject) => {
      const fail = (error: unknown) => {
        const timedOut = timeout.aborted;
        const why = timedOut ? `no answer within ${this.options.timeoutMs} ms` : errorMessage(error);
        reject(new RetryableTransportError(`POST of report ${report.id} to ${this.target} failed: ${why}`));
      };
      const request = send(
        this.url,
        { method: 'POST', headers, signal: timeout, ...(this.options.ca ? { ca: this.options.ca } : {}) },
        (response) => readBounded(response).then((text) => resolve({ status: response.statusCode ?? 0, body: text }), fail),
      );
      request.on('error', fail);
      request.end(body);
    });
  }
}

function readBounded(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size >= MAX_RESPONSE_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => resolve(Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8')));
    response.on('error', reject);
  });
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
