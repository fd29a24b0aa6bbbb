import { UnsupportedReportError } from '../reportTypes.ts';

/**
 * tradewire files nothing with the NFA: large trader position reports and Form 40 go to the CFTC
 * (17 CFR Parts 17 and 18), and the NFA's own filings (a CPO's or CTA's PR/PQR) are about the
 * firm's registration and pools, not built from fills and positions. So every NFA request is
 * refused with this reason, like the CFTC types tradewire does not produce, instead of filing nothing.
 */
export const NFA_UNSUPPORTED_REASON =
  'tradewire produces no NFA reports: the NFA takes no large trader position reports (those and Form 40 are CFTC reports: use jurisdiction CFTC); NFA registration filings such as PR/PQR are outside tradewire';

export const nfaRefusal = (type: string): UnsupportedReportError => new UnsupportedReportError('NFA', type, NFA_UNSUPPORTED_REASON);
