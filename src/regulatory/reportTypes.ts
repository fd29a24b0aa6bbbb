/**
 * The contract between report content (what a jurisdiction's engine renders) and the report
 * pipeline (queue, reporter actor, transports). The pipeline never looks inside `body`.
 */
export type Jurisdiction = 'CFTC' | 'NFA';

/** A request for one report, as carried by a job on the `reports` queue. */
export interface ReportRequest {
  jurisdiction: Jurisdiction;
  /** e.g. `large_trader_positions`, `form40`, `swap_data` (the last is refused as unsupported). */
  type: string;
  /** The trading day reported, `YYYY-MM-DD`. */
  reportDate: string;
  /** When the report must be filed (ISO-8601 UTC); the queue prioritises by it. */
  deadline: string;
  /** Type-specific parameters (accounts, format, ...), validated by the engine. */
  params?: Record<string, unknown>;
}

/** One file ready to submit. `id` is deterministic: the same request always renders the same id. */
export interface RenderedReport {
  id: string;
  jurisdiction: Jurisdiction;
  type: string;
  reportDate: string;
  /** e.g. `cftc80`, `cftc-appendix-c-json`, `form40-json`. */
  format: string;
  fileName: string;
  contentType: string;
  body: string;
}

export interface ReportEngine {
  readonly jurisdiction: Jurisdiction;
  /** Throws UnsupportedReportError for a type this engine does not produce. */
  render(request: ReportRequest): Promise<RenderedReport[]>;
  /** Problems found against the format's schema (column widths, required fields, code lists); empty when valid. */
  validate(report: RenderedReport): string[];
}

export class UnsupportedReportError extends Error {
  constructor(
    readonly jurisdiction: Jurisdiction,
    readonly type: string,
    reason: string,
  ) {
    super(`${jurisdiction} report type '${type}' is not supported: ${reason}`);
    this.name = 'UnsupportedReportError';
  }
}
