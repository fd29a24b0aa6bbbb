import type { CallOutcome } from './callOutcome.ts';
import { CountWindow } from './countWindow.ts';
import { TimeWindow } from './timeWindow.ts';
import { WindowTotals } from './windowTotals.ts';

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

/** `size` is a number of calls for COUNT_BASED, of seconds for TIME_BASED. */
export function createSlidingWindow(type: SlidingWindowType, size: number): SlidingWindow {
  return type === 'COUNT_BASED' ? new CountWindow(size) : new TimeWindow(size);
}

/**
 * The window of states that record nothing (forcedOpen, disabled); resilience4j gives them a
 * zero-size window, so calls reported to them are dropped.
 */
export class NoWindow extends WindowTotals implements SlidingWindow {
  record(_outcome: CallOutcome, _atMs: number): void {}
}

export { CountWindow, TimeWindow };
