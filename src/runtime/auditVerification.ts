import type { AuditVerifyRange, AuditVerifyView } from '../admin/schemas/auditVerifyViews.ts';
import type { ChainFinding, OrderAuditTrail } from '../audit/index.ts';

/** A finding's record: its own seq, or the first of a run of them; none for a finding about the whole trail. */
function seqOf(finding: ChainFinding): number | undefined {
  if ('seq' in finding) return finding.seq;
  if ('fromSeq' in finding) return finding.fromSeq;
  return undefined;
}

/** `POST /audit/verify`: the trail's verification (`tradewire audit verify`), as the console shows it. */
export function auditVerification(trail: Pick<OrderAuditTrail, 'verify'>): (range: AuditVerifyRange) => Promise<Omit<AuditVerifyView, 'from' | 'to'>> {
  return async (range) => {
    const report = await trail.verify(range);
    const problems: AuditVerifyView['problems'] = report.findings.map((finding) => {
      const seq = seqOf(finding);
      return { ...(seq !== undefined ? { seq } : {}), kind: finding.kind, message: finding.message };
    });
    const unlisted = report.findingCount - report.findings.length;
    if (unlisted > 0) problems.push({ kind: 'unlisted', message: `${unlisted} more problem${unlisted === 1 ? '' : 's'} found beyond those listed` });
    return { ok: report.ok, records: report.checked, problems };
  };
}
