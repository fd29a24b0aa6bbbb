import type { RenderedReport, ReportRequest } from '../reportTypes.ts';

/**
 * What the pipeline itself needs of rendered reports, whatever the format: an id (the idempotency
 * key), one report per id, the jurisdiction that was asked for, and a body and file name.
 */
export function structuralIssues(request: ReportRequest, reports: readonly RenderedReport[]): string[] {
  const issues: string[] = [];
  const seen = new Set<string>();
  reports.forEach((report, index) => {
    const label = typeof report.id === 'string' && report.id.trim() !== '' ? report.id : `report[${index}]`;
    if (label !== report.id) issues.push(`${label}: id: required (it is the report's idempotency key)`);
    else if (seen.has(report.id)) issues.push(`${label}: id: rendered twice in one job`);
    seen.add(report.id);
    if (report.jurisdiction !== request.jurisdiction) issues.push(`${label}: jurisdiction: is ${String(report.jurisdiction)}, the job asked for ${request.jurisdiction}`);
    if (typeof report.body !== 'string') issues.push(`${label}: body: must be text`);
    if (typeof report.fileName !== 'string' || report.fileName === '') issues.push(`${label}: fileName: required`);
  });
  return issues;
}
