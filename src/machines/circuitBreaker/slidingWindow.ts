import type { CallOutcome } from './callOutcome.ts';
import type { SlidingWindow, SlidingWindowType } from './slidingWindowShape.ts';
import { CountWindow } from './countWindow.ts';
import { TimeWindow } from './timeWindow.ts';
import { WindowTotals } from './windowTotals.ts';

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
export type { SlidingWindow, SlidingWindowType };
