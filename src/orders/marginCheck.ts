import type { WhatIfMargins } from '../ib/session/orderFeed.ts';
import { isMarginFigure } from '../ib/parsing/whatIf.ts';

export interface MarginCheckConfig {
  /** Largest initial-margin increase one order may bring, in the account currency; null for no cap. */
  maxInitMarginChange: number | null;
}

export type MarginVerdict = { ok: true } | { ok: false; reason: string };

/** The figures the verdict reads; each must be present, or the order is refused. */
export const NEEDED_FIGURES = ['initMarginChange', 'initMarginAfter', 'equityWithLoanAfter'] as const satisfies readonly (keyof WhatIfMargins)[];

/**
 * Reads IB's whatIf answer: an order that would leave initial margin above equity (IB would reject
 * it, or it would invite a margin call) or that adds more margin than configured is refused.
 * Risk-reducing orders lower margin and pass — but only when IB gave every figure the verdict
 * reads: a missing, empty, non-finite or unset (Double.MAX) figure refuses the order, naming it.
 */
export function judgeMargin(margins: WhatIfMargins, config: MarginCheckConfig): MarginVerdict {
  const missing = NEEDED_FIGURES.filter((field) => !isMarginFigure(margins[field]));
  if (missing.length > 0) return { ok: false, reason: `IB gave no ${missing.join(', ')}` };
  const { initMarginChange, initMarginAfter, equityWithLoanAfter } = margins;
  if (initMarginChange <= 0) return { ok: true };
  if (initMarginAfter > equityWithLoanAfter) {
    return { ok: false, reason: `initial margin after the order ${initMarginAfter} would exceed equity with loan ${equityWithLoanAfter}` };
  }
  if (config.maxInitMarginChange !== null && initMarginChange > config.maxInitMarginChange) {
    return { ok: false, reason: `initial margin change ${initMarginChange} exceeds the per-order cap ${config.maxInitMarginChange}` };
  }
  return { ok: true };
}
