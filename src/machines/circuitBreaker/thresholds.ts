import type { SlidingWindow } from './slidingWindow.ts';

/** resilience4j's CircuitBreakerMetrics.Result, as a string. */
export type ThresholdVerdict =
  | 'belowMinimumCalls'
  | 'belowThresholds'
  | 'failureRateExceeded'
  | 'slowCallRateExceeded'
  | 'bothExceeded';

export interface RateThresholds {
  /** Percent; a rate equal to the threshold trips the breaker. */
  failureRateThreshold: number;
  slowCallRateThreshold: number;
}

/**
 * Judges a window the way resilience4j does: nothing is judged until `minimumNumberOfCalls`
 * are in the window, then either rate at or above its threshold counts as exceeded.
 * Compared as `count * 100 >= threshold * calls` so no float rounding decides a trip.
 */
export function judgeWindow(window: SlidingWindow, minimumNumberOfCalls: number, thresholds: RateThresholds): ThresholdVerdict {
  const calls = window.numberOfCalls;
  if (calls === 0 || calls < minimumNumberOfCalls) return 'belowMinimumCalls';
  const failing = window.numberOfFailedCalls * 100 >= thresholds.failureRateThreshold * calls;
  const slow = window.numberOfSlowCalls * 100 >= thresholds.slowCallRateThreshold * calls;
  if (failing && slow) return 'bothExceeded';
  if (failing) return 'failureRateExceeded';
  if (slow) return 'slowCallRateExceeded';
  return 'belowThresholds';
}

export function thresholdsExceeded(verdict: ThresholdVerdict): boolean {
  return verdict === 'failureRateExceeded' || verdict === 'slowCallRateExceeded' || verdict === 'bothExceeded';
}

/** A rate as resilience4j reports it: -1 until the minimum number of calls is in the window. */
export function reportedRate(rate: number, calls: number, minimumNumberOfCalls: number): number {
  return calls === 0 || calls < minimumNumberOfCalls ? -1 : rate;
}
