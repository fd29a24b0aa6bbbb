/**
 * A recorded call as two bit flags, so a count window can keep one byte per call and a
 * time window can aggregate without allocating.
 */
export const FAILED = 1;
export const SLOW = 2;

/** 0 = fast success, 1 = fast failure, 2 = slow success, 3 = slow failure. */
export type CallOutcome = 0 | 1 | 2 | 3;

export function callOutcome(failed: boolean, slow: boolean): CallOutcome {
  return ((failed ? FAILED : 0) | (slow ? SLOW : 0)) as CallOutcome;
}
