/**
 * Why a tick was not accepted. Codes index the per-source counter arrays, so the order is part
 * of the layout: append, never reorder.
 */
export const REJECT_REASONS = [
  'unknown_instrument',
  'non_finite',
  'no_price',
  'non_positive',
  'crossed',
  'future_timestamp',
  'backwards_timestamp',
  /** A held-back spike that the source's next price did not confirm. */
  'spike',
  'source_overflow',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Codes of REJECT_REASONS, by name (a plain object, not an enum, so isolated-module transpilers keep it). */
export const Reject = {
  UnknownInstrument: 0,
  NonFinite: 1,
  NoPrice: 2,
  NonPositive: 3,
  Crossed: 4,
  FutureTimestamp: 5,
  BackwardsTimestamp: 6,
  Spike: 7,
  SourceOverflow: 8,
} as const satisfies Record<string, number>;
export const REJECT_REASON_COUNT = REJECT_REASONS.length;

/**
 * Why an accepted price sat out a consolidation round. Not a tick rejection: the tick was
 * accepted and counted; these count rounds.
 */
export const EXCLUSION_REASONS = ['stale', 'late', 'outlier', 'not_streaming'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const Exclusion = { Stale: 0, Late: 1, Outlier: 2, NotStreaming: 3 } as const satisfies Record<string, number>;
export const EXCLUSION_REASON_COUNT = EXCLUSION_REASONS.length;
