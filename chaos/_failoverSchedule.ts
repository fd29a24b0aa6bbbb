import type { SeededRandom } from '../src/shared/seededRandom.ts';

/** kill -9 the active node; SIGSTOP it past the lease TTL then SIGCONT; SIGTERM it (graceful handover). */
export const FAILOVER_FAULTS = ['kill', 'pause', 'handover'] as const;
export type FailoverFault = (typeof FAILOVER_FAULTS)[number];
export type FailoverFaultCounts = Record<FailoverFault, number>;

export interface ScheduledFailover {
  kind: FailoverFault;
  /** How long the cluster is left alone (healthy) before this fault. */
  gapMs: number;
  /** For `pause`: how long past the lease TTL the node stays stopped. */
  pauseExtraMs: number;
}

/**
 * The faults in a seeded random order (the same seed, the same order), each after a random gap
 * in which orders flow to the active node undisturbed.
 */
export function failoverSchedule(rng: SeededRandom, counts: FailoverFaultCounts, gap: { minMs: number; maxMs: number }): ScheduledFailover[] {
  const kinds: FailoverFault[] = FAILOVER_FAULTS.flatMap((kind) => Array.from({ length: counts[kind] }, () => kind));
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds.map((kind) => ({
    kind,
    gapMs: Math.round(gap.minMs + rng.next() * (gap.maxMs - gap.minMs)),
    pauseExtraMs: kind === 'pause' ? Math.round(500 + rng.next() * 2_000) : 0,
  }));
}

/** The p-th percentile (0..100) of the values, nearest rank; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
