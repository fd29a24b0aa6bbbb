import type { Queue } from 'bullmq';
import { parseReportJob, REPORTS_QUEUE_NAME } from './reportJob.ts';
import { nfaRefusal } from '../nfa/nfaRefusal.ts';
import { reportJobOptions, type ReportRetryPolicy } from './reportJobOptions.ts';

export type ReportIntakeResult = { accepted: true; jobId: string } | { accepted: false; errors: string[] };

/**
 * Puts a report request on the `reports` queue, refusing an invalid one, or one for the NFA (which
 * tradewire files nothing with), up front with its errors (the worker would dead-letter it anyway;
 * a producer should hear it now).
 */
export async function enqueueReport(queue: Queue, data: unknown, policy?: ReportRetryPolicy): Promise<ReportIntakeResult> {
  if (queue.name !== REPORTS_QUEUE_NAME) throw new Error(`report requests go to the ${REPORTS_QUEUE_NAME} queue, not ${queue.name}`);
  const parsed = parseReportJob(data);
  if (!parsed.ok) return { accepted: false, errors: parsed.errors };
  if (parsed.request.jurisdiction === 'NFA') return { accepted: false, errors: [nfaRefusal(parsed.request.type).message] };
  const job = await queue.add('report', parsed.request, reportJobOptions(parsed.request, policy));
  return { accepted: true, jobId: String(job.id) };
}
