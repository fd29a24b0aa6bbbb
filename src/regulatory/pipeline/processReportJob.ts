import { createActor, type Actor, type AnyActorLogic } from 'xstate';
import type { Job } from 'bullmq';
import { InvalidPayloadError } from '../../queues/index.ts';
import type { ReporterMachine } from '../../machines/regulatory/reporter/reporterMachine.ts';
import type { FiledReport, ReporterOutput } from '../../machines/regulatory/reporter/reporterTypes.ts';
import { UnsupportedReportError, type Jurisdiction } from '../reportTypes.ts';
import { PermanentReportError, RetryableReportError } from './pipelineErrors.ts';
import { parseReportJob } from './reportJob.ts';
import { nfaRefusal } from '../nfa/nfaRefusal.ts';

export interface ReportJobResult {
  outcome: 'acknowledged';
  filed: Array<{ reportId: string; reference: string; alreadyFiled: boolean; ack: FiledReport['ack'] }>;
}

export interface ReportJobDeps {
  /** The reporter logic per jurisdiction with an engine and a transport. */
  reporters: ReadonlyMap<Jurisdiction, ReporterMachine>;
  ackTimeoutMs: number;
  /** Each running reporter, so shutdown can stop them instead of waiting out an ack timeout. */
  running: Set<Actor<AnyActorLogic>>;
}

/**
 * One `reports` job, start to end. Throws to fail the attempt: PermanentReportError (and
 * InvalidPayloadError) go straight to `reports:dead`; anything else is retried by BullMQ.
 */
export async function processReportJob(job: Pick<Job, 'data'>, deps: ReportJobDeps): Promise<ReportJobResult> {
  const parsed = parseReportJob(job.data);
  if (!parsed.ok) throw new InvalidPayloadError(parsed.errors);
  const { request } = parsed;
  if (request.jurisdiction === 'NFA') throw new PermanentReportError(nfaRefusal(request.type).message);
  const reporter = deps.reporters.get(request.jurisdiction);
  if (!reporter) {
    throw new PermanentReportError(new UnsupportedReportError(request.jurisdiction, request.type, `no report engine or transport is configured for ${request.jurisdiction}`).message);
  }
  const actor = createActor(reporter, { input: { request, ackTimeoutMs: deps.ackTimeoutMs } }) as unknown as Actor<AnyActorLogic>;
  deps.running.add(actor);
  let output: ReporterOutput | undefined;
  try {
    output = await new Promise<ReporterOutput | undefined>((resolve, reject) => {
      actor.subscribe({ complete: () => resolve(actor.getSnapshot().output as ReporterOutput | undefined), error: reject });
      actor.start();
    });
  } finally {
    deps.running.delete(actor);
  }
  return resultOf(output);
}

function resultOf(output: ReporterOutput | undefined): ReportJobResult {
  // No output: the reporter was stopped (shutdown) before it finished; the ledger makes the retry safe.
  if (!output) throw new RetryableReportError('reporter stopped before the report was acknowledged (shutdown); it will be retried');
  switch (output.outcome) {
    case 'acknowledged':
      return {
        outcome: 'acknowledged',
        filed: output.filed.map(({ reportId, receipt, ack }) => ({ reportId, reference: receipt.reference, alreadyFiled: receipt.alreadyFiled, ack })),
      };
    case 'rejected':
      throw new PermanentReportError(`report ${output.rejection.reportId} was rejected: ${output.rejection.reason ?? 'no reason given'}`);
    case 'failed':
      if (output.failure.permanent) throw new PermanentReportError(output.failure.message, output.failure.issues);
      throw new RetryableReportError(output.failure.message);
  }
}
