import { fromPromise } from 'xstate';
import type { Logger } from '../../log/logger.ts';
import { createReporterMachine } from '../../machines/regulatory/reporter/reporterMachine.ts';
import type { AwaitAckInput, SubmitInput, ValidateInput } from '../../machines/regulatory/reporter/reporterTypes.ts';
import type { RenderedReport, ReportEngine, ReportRequest } from '../../regulatory/reportTypes.ts';
import type { FilingLedger } from '../../regulatory/pipeline/filingLedger.ts';
import { RetryableReportError } from '../../regulatory/pipeline/pipelineErrors.ts';
import type { ReportMetrics } from '../../regulatory/pipeline/reportMetrics.ts';
import { structuralIssues } from '../../regulatory/pipeline/structuralIssues.ts';
import type { Ack, ReportTransport, SubmissionReceipt } from '../../regulatory/transports/reportTransport.ts';
import { isRetryableTransportFailure } from '../../regulatory/transports/transportErrors.ts';
import { errorMessage } from '../../shared/errorMessage.ts';
import type { Now } from '../../shared/clock.ts';

export interface ReporterDeps {
  engine: ReportEngine;
  /** Already behind its circuit breaker. */
  transport: ReportTransport;
  ledger: FilingLedger;
  metrics: ReportMetrics;
  logger: Logger;
  /** How long one job may hold the exclusive right to submit a report (covers one submission). */
  claimMs: number;
  /** Monotonic milliseconds, for latency. */
  now?: Now;
}

/** The reporter machine with its I/O: the jurisdiction's engine, the transport and the filing ledger. */
export function createReporterLogic(deps: ReporterDeps) {
  const { engine, transport, ledger, metrics, logger } = deps;
  const now = deps.now ?? (() => performance.now());
  const jurisdiction = engine.jurisdiction;

  const submitOnce = async (report: RenderedReport): Promise<SubmissionReceipt> => {
    const started = now();
    try {
      const receipt = await transport.submit(report);
      metrics.transmission(jurisdiction, receipt.alreadyFiled ? 'already_filed' : 'submitted', (now() - started) / 1_000);
      return receipt;
    } catch (error) {
      metrics.transmission(jurisdiction, isRetryableTransportFailure(error) ? 'retryable_failure' : 'permanent_failure', (now() - started) / 1_000);
      logger.warn('report submission failed', { jurisdiction, reportId: report.id, target: transport.target, error: errorMessage(error) });
      throw error;
    }
  };

  return createReporterMachine({
    render: fromPromise<RenderedReport[], ReportRequest>(async ({ input }) => engine.render(input)),
    validate: fromPromise<string[], ValidateInput>(async ({ input }) => [
      ...structuralIssues(input.request, input.reports),
      ...input.reports.flatMap((report) => validateOne(engine, report)),
    ]),
    submit: fromPromise<SubmissionReceipt, SubmitInput>(async ({ input: { report } }) => {
      const known = (await ledger.entry(report.id)).receipt;
      if (known) {
        logger.info('report already filed; not submitting it again', { jurisdiction, reportId: report.id, submittedAt: known.submittedAt });
        return known;
      }
      const claim = await ledger.claim(report.id, deps.claimMs);
      if (!claim) throw new RetryableReportError(`report ${report.id} is being submitted by another job right now`);
      try {
        // Read again under the claim: the other job may have finished between the read and the claim.
        const filed = (await ledger.entry(report.id)).receipt;
        if (filed) return filed;
        const receipt = await submitOnce(report);
        await ledger.recordReceipt(receipt);
        logger.info(receipt.alreadyFiled ? 'report was already at the destination' : 'report submitted', {
          jurisdiction,
          reportId: report.id,
          target: transport.target,
          reference: receipt.reference,
        });
        return (await ledger.entry(report.id)).receipt ?? receipt;
      } finally {
        await claim.release().catch(() => undefined);
      }
    }),
    awaitAck: fromPromise<Ack, AwaitAckInput>(async ({ input: { report, receipt, timeoutMs }, signal }) => {
      const known = (await ledger.entry(report.id)).ack;
      if (known) return known;
      const ack = await transport.awaitAck(receipt, { timeoutMs, signal });
      const first = await ledger.recordAck(ack);
      if (first) metrics.ack(jurisdiction, ack.status);
      const level = ack.status === 'accepted' ? 'info' : 'error';
      logger.log(level, `report ${ack.status}`, { jurisdiction, reportId: report.id, ...(ack.reason ? { reason: ack.reason } : {}) });
      return (await ledger.entry(report.id)).ack ?? ack;
    }),
  });
}

/** An engine's validate that throws is a problem with that report, not a crash of the job. */
function validateOne(engine: ReportEngine, report: RenderedReport): string[] {
  try {
    return engine.validate(report).map((issue) => `${report.id}: ${issue}`);
  } catch (error) {
    return [`${report.id}: the ${engine.jurisdiction} validator failed: ${errorMessage(error)}`];
  }
}
