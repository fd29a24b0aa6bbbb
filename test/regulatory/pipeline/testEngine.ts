import { UnsupportedReportError, type RenderedReport, type ReportEngine, type ReportRequest } from '../../../src/regulatory/reportTypes.ts';

/**
 * A small engine with its own fixed-width format, for pipeline tests: one line per position,
 * `ACCOUNT(8)QTY(6)`, the account left-aligned, the quantity right-aligned with zeros.
 * Types: `positions` (one file), `split_positions` (two files), `quiet_day` (nothing to file),
 * anything else is unsupported. `params.positions` may hold values that fail validation.
 */
export class TestReportEngine implements ReportEngine {
  readonly jurisdiction = 'CFTC' as const;
  renders = 0;

  async render(request: ReportRequest): Promise<RenderedReport[]> {
    this.renders += 1;
    const positions = (request.params?.positions as Array<[string, number]> | undefined) ?? [['ACC001', 10]];
    switch (request.type) {
      case 'positions':
        return [this.report(request, 'positions', positions)];
      case 'split_positions':
        return [this.report(request, 'positions-a', positions.slice(0, 1)), this.report(request, 'positions-b', positions.slice(1))];
      case 'quiet_day':
        return [];
      default:
        throw new UnsupportedReportError(this.jurisdiction, request.type, 'the test engine renders positions, split_positions and quiet_day');
    }
  }

  validate(report: RenderedReport): string[] {
    return report.body
      .split('\n')
      .filter((line) => line !== '')
      .flatMap((line, index) => {
        const issues: string[] = [];
        if (line.length !== 14) issues.push(`line ${index + 1}: must be 14 characters, is ${line.length}`);
        if (!/^\d{6}$/.test(line.slice(8))) issues.push(`line ${index + 1}: quantity: must be 6 digits`);
        return issues;
      });
  }

  private report(request: ReportRequest, part: string, positions: Array<[string, number]>): RenderedReport {
    const body = positions.map(([account, quantity]) => `${account.padEnd(8)}${String(quantity).padStart(6, '0')}`).join('\n') + '\n';
    return {
      id: `TEST-${part}-${request.reportDate}`,
      jurisdiction: 'CFTC',
      type: request.type,
      reportDate: request.reportDate,
      format: 'test-fixed14',
      fileName: `POS_${request.reportDate.replaceAll('-', '')}_${part}.txt`,
      contentType: 'text/plain',
      body,
    };
  }
}

export function positionsRequest(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return { jurisdiction: 'CFTC', type: 'positions', reportDate: '2025-03-03', deadline: '2025-03-04T14:00:00.000Z', ...overrides };
}

/** One rendered report as a transport receives it (the transport tests file it directly). */
export const TEST_REPORT: RenderedReport = {
  id: 'TEST-positions-2025-03-03',
  jurisdiction: 'CFTC',
  type: 'positions',
  reportDate: '2025-03-03',
  format: 'test-fixed14',
  fileName: 'POS_20250303.txt',
  contentType: 'text/plain',
  body: 'ACC001  000010\n',
};
