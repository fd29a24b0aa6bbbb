import type { Job, Queue } from 'bullmq';
import type { FilingRow, ReportsView, TransportRow } from '../admin/schemas/reportViews.ts';
import type { Config } from '../config/index.ts';
import type { DeadLetterRecord } from '../queues/index.ts';
import { filingDeadline, nextClose } from '../regulatory/monitoring/closeSchedule.ts';
import { regulatoryMonitorConfigOf } from '../regulatory/monitoring/monitoringConfig.ts';
import { configuredTransports } from '../regulatory/pipeline/reportsConfig.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import { reportBreakerId, reportsConfigOf } from './capabilities/reports.ts';

/** Filings shown, newest first. */
const FILINGS = 50;
const UNFINISHED = ['active', 'waiting', 'prioritized', 'delayed'] as const;
const FINISHED = ['completed', 'failed'] as const;

/** A report request as the `reports` queue holds it (checked when it was queued; read loosely here). */
interface ReportRequestData {
  jurisdiction?: string;
  type?: string;
  reportDate?: string;
  deadline?: string;
}

interface Acknowledged {
  filed?: { ack?: { status?: string; reason?: string } }[];
}

/** A filing with what the view leaves out: when it last moved, why it failed, and its deadline while not filed. */
interface Filing {
  row: FilingRow;
  jurisdiction: string;
  atMs: number;
  error: string | null;
  deadline: string | null;
}

const BREAKER_HEALTH: Record<string, string> = { closed: 'healthy', open: 'down', forcedOpen: 'down', halfOpen: 'recovering', disabled: 'healthy' };

const isoOrNull = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

function acknowledgementOf(result: unknown): string | null {
  const acks = ((result as Acknowledged | null)?.filed ?? []).flatMap((filed) => (filed.ack?.status ? [filed.ack.reason ? `${filed.ack.status}: ${filed.ack.reason}` : filed.ack.status] : []));
  return acks.length > 0 ? acks.join('; ') : null;
}

function filingOfJob(job: Job, state: string): Filing {
  const data = (job.data ?? {}) as ReportRequestData;
  const finished = state === 'completed' || state === 'failed';
  return {
    row: {
      id: String(job.id),
      report: `${data.jurisdiction ?? '?'} ${data.type ?? '?'}`,
      date: data.reportDate ?? '',
      status: state === 'completed' ? 'filed' : state,
      filedAt: state === 'completed' ? isoOrNull(job.finishedOn) : null,
      acknowledgement: state === 'completed' ? acknowledgementOf(job.returnvalue) : null,
    },
    jurisdiction: data.jurisdiction ?? '?',
    atMs: (finished ? job.finishedOn : job.processedOn) ?? job.timestamp,
    error: job.failedReason || null,
    deadline: finished ? null : (data.deadline ?? null),
  };
}

function filingOfDeadLetter(record: DeadLetterRecord): Filing {
  const data = (record.payload ?? {}) as ReportRequestData;
  return {
    row: { id: record.jobId, report: `${data.jurisdiction ?? '?'} ${data.type ?? '?'}`, date: data.reportDate ?? '', status: 'dead', filedAt: null, acknowledgement: null },
    jurisdiction: data.jurisdiction ?? '?',
    atMs: record.deadLetteredAt,
    error: record.reason,
    deadline: null,
  };
}

export interface ReportReadsDeps {
  config: Config;
  tree: SupervisionTree;
  /** The `reports` queue, read only. */
  queue: Queue;
  /** The newest dead letters of `reports`. */
  deadLetters: (limit: number) => Promise<DeadLetterRecord[]>;
  now?: () => number;
}

/**
 * `GET /reports`: the last filings from the `reports` queue and its dead letters (any node: Redis
 * holds them), the next deadline (a report not filed yet, or the next day close's large trader
 * file), and each configured transport's health from its breaker (on the active node; `unknown`
 * elsewhere).
 */
export class ReportReads {
  constructor(private readonly deps: ReportReadsDeps) {}

  async read(): Promise<ReportsView> {
    const { queue } = this.deps;
    const byState = await Promise.all([...UNFINISHED, ...FINISHED].map(async (state) => (await queue.getJobs([state], 0, FILINGS - 1, false)).filter(Boolean).map((job) => filingOfJob(job, state))));
    const dead = (await this.deps.deadLetters(FILINGS)).map(filingOfDeadLetter);
    const filings = [...byState.flat(), ...dead].sort((a, b) => b.atMs - a.atMs).slice(0, FILINGS);
    return { nextDeadline: this.nextDeadline(byState.flat()), filings: filings.map((filing) => filing.row), transports: this.transports(filings) };
  }

  private nextDeadline(filings: Filing[]): ReportsView['nextDeadline'] {
    const candidates = filings.flatMap((filing) => {
      const due = filing.deadline === null ? Number.NaN : Date.parse(filing.deadline);
      return Number.isNaN(due) ? [] : [{ report: `${filing.row.report} ${filing.row.date}`, due: new Date(due).toISOString() }];
    });
    const schedule = regulatoryMonitorConfigOf(this.deps.config.regulatoryMonitor);
    if (schedule?.enabled) {
      const { day } = nextClose((this.deps.now ?? Date.now)(), schedule);
      candidates.push({ report: `CFTC large-trader ${day} (next day close)`, due: filingDeadline(day, schedule) });
    }
    return candidates.sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0] ?? null;
  }

  private transports(filings: Filing[]): TransportRow[] {
    const reports = reportsConfigOf(this.deps.config);
    if (!reports) return [];
    return configuredTransports(reports).map(([jurisdiction, transport]) => {
      const breaker = this.deps.tree.get(reportBreakerId(jurisdiction))?.getSnapshot() as { status?: string; value?: unknown } | undefined;
      const state = breaker?.status === 'active' && typeof breaker.value === 'string' ? breaker.value : null;
      const failed = filings.find((filing) => filing.jurisdiction === jurisdiction && filing.error !== null && filing.row.status !== 'filed');
      return { name: `${jurisdiction} (${transport.kind})`, health: state === null ? 'unknown' : (BREAKER_HEALTH[state] ?? state), lastError: failed?.error ?? null };
    });
  }
}
