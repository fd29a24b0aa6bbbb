import type { WhatIfMargins } from '../ib/session/orderFeed.ts';

export interface MarginCheckConfig {
  /** Largest initial-margin increase one order may bring, in the account currency; null for no cap. */
  maxInitMarginChange: number | null;
}

export type MarginVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Reads IB's whatIf answer: an order that would leave initial margin above equity (IB would reject
 * it, or it would invite a margin call) or that adds more margin than configured is refused.
 * Risk-reducing orders lower margin and always pass.
 */
export function judgeMargin(margins: WhatIfMargins, config: MarginCheckConfig): MarginVerdict {
  const { initMarginChange, initMarginAfter, equityWithLoanAfter } = margins;
  if (!Number.isFinite(initMarginChange) || !Number.isFinite(initMarginAfter) || !Number.isFinite(equityWithLoanAfter)) {
    return { ok: false, reason: 'the broker gave no margin figures for this order' };
  }
  if (initMarginChange <= 0) return { ok: true };
  if (initMarginAfter > equityWithLoanAfter) {
    return { ok: false, reason: `initial margin after the order ${initMarginAfter} would exceed equity with loan ${equityWithLoanAfter}` };
  }
  if (config.maxInitMarginChange !== null && initMarginChange > config.maxInitMarginChange) {
    return { ok: false, reason: `initial margin change ${initMarginChange} exceeds the per-order cap ${config.maxInitMarginChange}` };
  }
  return { ok: true };
}
