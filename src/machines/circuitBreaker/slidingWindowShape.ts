import type { CallOutcome } from './callOutcome.ts';

export type SlidingWindowType = 'COUNT_BASED' | 'TIME_BASED';

/**
 * The calls a circuit breaker judges its rates on. Implementations are mutable ring buffers:
 * recording allocates nothing, and the totals are read without scanning.
 */
export interface SlidingWindow {
  /** `atMs` matters only to time-based windows; pass the call's completion time. */
  record(outcome: CallOutcome, atMs: number): void;
  readonly numberOfCalls: number;
  readonly numberOfSuccessfulCalls: number;
  readonly numberOfFailedCalls: number;
  readonly numberOfSlowCalls: number;
  readonly numberOfSlowFailedCalls: number;
  /** Percentages, 0 when empty; minimum-call rules are applied by the breaker, not here. */
  readonly failureRate: number;
  readonly slowCallRate: number;
}
