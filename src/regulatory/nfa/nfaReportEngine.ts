import { UnsupportedReportError, type RenderedReport, type ReportEngine, type ReportRequest } from '../reportTypes.ts';

/**
 * NFA: tradewire files nothing with the NFA. Large trader position reports go to the CFTC under
 * 17 CFR Part 17 (CftcReportEngine); the NFA's own filings (for example a CPO's or CTA's periodic
 * PR/PQR) are about the firm's registration and pools, not built from fills and positions.
 * Every request is refused with that reason rather than silently producing nothing.
 */
export class NfaReportEngine implements ReportEngine {
  readonly jurisdiction = 'NFA' as const;

  async render(request: ReportRequest): Promise<RenderedReport[]> {
    throw new UnsupportedReportError(
      'NFA',
      request.type,
      'tradewire produces no NFA reports: large trader position reports and Form 40 are CFTC reports (use jurisdiction CFTC); NFA registration filings such as PR/PQR are outside tradewire',
    );
  }

  validate(report: RenderedReport): string[] {
    return [`tradewire has no NFA formats, so '${report.format}' cannot be validated`];
  }
}
