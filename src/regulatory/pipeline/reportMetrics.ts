import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Jurisdiction } from '../reportTypes.ts';

export type TransmissionOutcome = 'submitted' | 'already_filed' | 'retryable_failure' | 'permanent_failure';
export type AckOutcome = 'accepted' | 'rejected';

const SUCCESSFUL: readonly TransmissionOutcome[] = ['submitted', 'already_filed'];
const ALL: readonly TransmissionOutcome[] = ['submitted', 'already_filed', 'retryable_failure', 'permanent_failure'];

/** The transmission monitor: per jurisdiction, how submissions went and how long they took. */
export interface ReportMetrics {
  transmission(jurisdiction: Jurisdiction, outcome: TransmissionOutcome, seconds: number): void;
  ack(jurisdiction: Jurisdiction, outcome: AckOutcome): void;
}

const registered = new WeakMap<Registry, ReportMetrics>();

/** The report metrics of a runtime's registry, registered on first use (reports restart with every lease). */
export function registerReportMetrics(registry: Registry): ReportMetrics {
  const existing = registered.get(registry);
  if (existing) return existing;
  const metrics = createReportMetrics(registry);
  registered.set(registry, metrics);
  return metrics;
}

function createReportMetrics(registry: Registry): ReportMetrics {
  const transmissions = new Counter({
    name: 'tradewire_report_transmissions_total',
    help: 'Report submissions by jurisdiction and outcome (submitted, already_filed, retryable_failure, permanent_failure)',
    labelNames: ['jurisdiction', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tradewire_report_transmission_seconds',
    help: 'Time to submit one report to its transport, by jurisdiction',
    labelNames: ['jurisdiction'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const acks = new Counter({
    name: 'tradewire_report_acks_total',
    help: 'Regulator acknowledgements by jurisdiction and status (accepted, rejected)',
    labelNames: ['jurisdiction', 'status'],
    registers: [registry],
  });
  const counts = new Map<Jurisdiction, Map<TransmissionOutcome, number>>();
  new Gauge({
    name: 'tradewire_report_transmission_success_ratio',
    help: 'Share of report submissions that succeeded (submitted or already filed) since start, by jurisdiction',
    labelNames: ['jurisdiction'],
    registers: [registry],
    collect() {
      for (const [jurisdiction, byOutcome] of counts) {
        const total = ALL.reduce((sum, outcome) => sum + (byOutcome.get(outcome) ?? 0), 0);
        const good = SUCCESSFUL.reduce((sum, outcome) => sum + (byOutcome.get(outcome) ?? 0), 0);
        if (total > 0) this.set({ jurisdiction }, good / total);
      }
    },
  });
  return {
    transmission(jurisdiction, outcome, seconds) {
      transmissions.inc({ jurisdiction, outcome });
      latency.observe({ jurisdiction }, Math.max(0, seconds));
      const byOutcome = counts.get(jurisdiction) ?? new Map<TransmissionOutcome, number>();
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      counts.set(jurisdiction, byOutcome);
    },
    ack(jurisdiction, status) {
      acks.inc({ jurisdiction, status });
    },
  };
}

/** For tests and processes without /metrics. */
export const noReportMetrics: ReportMetrics = { transmission() {}, ack() {} };
