import { RuntimeRecords } from './_runtimeRecords.ts';

/**
 * The runtime's records plus what the `fills` queue said about commissions: a fill job carries its
 * executions' commissions, or says how many are still pending (`commissionsPending`), which must
 * then come as `commission` jobs of their own. A commission that never comes is an accounting gap
 * (not a lost order): counted, for the report.
 */
export class CommissionRecords extends RuntimeRecords {
  /** Fill job id -> its executions and how many of their commissions it did not carry. */
  private readonly fillJobs = new Map<string, { execIds: string[]; pending: number }>();
  private readonly commissionJobs = new Set<string>();

  override notePublished(jobId: string, name: string, data: unknown): void {
    super.notePublished(jobId, name, data);
    if (typeof data !== 'object' || data === null) return;
    const job = data as { executions?: { execId?: unknown }[]; commissionsPending?: unknown; execId?: unknown };
    if (name === 'commission' && typeof job.execId === 'string') this.commissionJobs.add(job.execId);
    else if (name === 'fill' && Array.isArray(job.executions)) {
      const execIds = job.executions.map((e) => e?.execId).filter((id): id is string => typeof id === 'string');
      this.fillJobs.set(jobId, { execIds, pending: Number(job.commissionsPending ?? 0) });
    }
  }

  /** Commissions a fill job left pending that no `commission` job brought. */
  missingCommissions(): number {
    let missing = 0;
    for (const { execIds, pending } of this.fillJobs.values()) {
      const came = execIds.filter((id) => this.commissionJobs.has(id)).length;
      missing += Math.max(0, pending - came);
    }
    return missing;
  }
}
