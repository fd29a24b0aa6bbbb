/** The fields IB looks at when it decides two historical data requests are the same. */
export interface HistoricalRequest {
  /** A canonical contract key, e.g. the conId. */
  readonly contract: string;
  readonly exchange: string;
  /** IB's "tick type" for historical data: TRADES, MIDPOINT, BID_ASK, ... */
  readonly whatToShow: string;
  readonly endDateTime: string;
  readonly duration: string;
  readonly barSize: string;
  readonly useRth?: boolean;
}

export interface HistoricalPacingConfig {
  /** No identical request within this long. */
  readonly identicalWindowMs: number;
  /** At most `sameContractMax` requests for one contract+exchange+tick type within `sameContractWindowMs`. */
  readonly sameContractWindowMs: number;
  readonly sameContractMax: number;
  /** At most `windowMax` requests of any kind within `windowMs`. */
  readonly windowMs: number;
  readonly windowMax: number;
  /** IB counts each request for these tick types twice. */
  readonly doubleCountedTickTypes: readonly string[];
}

/**
 * IB's published rules: identical requests within 15 s, six or more for the same contract,
 * exchange and tick type within 2 s, and more than 60 in ten minutes all cause a pacing
 * violation; BID_ASK requests count twice. "Six or more" means at most five are allowed.
 */
export const DEFAULT_HISTORICAL_PACING: HistoricalPacingConfig = Object.freeze({
  identicalWindowMs: 15_000,
  sameContractWindowMs: 2_000,
  sameContractMax: 5,
  windowMs: 600_000,
  windowMax: 60,
  doubleCountedTickTypes: Object.freeze(['BID_ASK']),
});

export type HistoricalPacingRule = 'identical_request' | 'same_contract' | 'request_window';

export type PacingDecision = { readonly ok: true } | { readonly ok: false; readonly retryAt: number; readonly rule: HistoricalPacingRule };

interface Sent {
  readonly at: number;
  readonly weight: number;
}

const OK: PacingDecision = Object.freeze({ ok: true });

export const identicalRequestKey = (r: HistoricalRequest): string =>
  [r.contract, r.exchange, r.whatToShow, r.endDateTime, r.duration, r.barSize, r.useRth === true ? 'rth' : 'all'].join('\u0000');

export const sameContractKey = (r: HistoricalRequest): string => [r.contract, r.exchange, r.whatToShow].join('\u0000');

/**
 * Decides whether a historical data request may go now, and if not, when it may. A refused
 * request is never dropped: the caller re-queues it for `retryAt`, when (barring requests
 * recorded meanwhile) every rule is satisfied.
 */
export class HistoricalPacing {
  private readonly config: HistoricalPacingConfig;
  // Maps iterate in insertion order; re-inserting on every record keeps them oldest-first for pruning.
  private readonly lastIdentical = new Map<string, number>();
  private readonly byContract = new Map<string, Sent[]>();
  private readonly all: Sent[] = [];

  constructor(config: Partial<HistoricalPacingConfig> = {}) {
    this.config = { ...DEFAULT_HISTORICAL_PACING, ...config };
    for (const key of ['identicalWindowMs', 'sameContractWindowMs', 'windowMs'] as const) {
      if (!(this.config[key] >= 0)) throw new RangeError(`${key} must be zero or more, got ${this.config[key]}`);
    }
    for (const key of ['sameContractMax', 'windowMax'] as const) {
      if (!(this.config[key] >= 1)) throw new RangeError(`${key} must be at least 1, got ${this.config[key]}`);
    }
  }

  check(request: HistoricalRequest, now: number): PacingDecision {
    this.prune(now);
    const { identicalWindowMs, sameContractWindowMs, sameContractMax, windowMs, windowMax } = this.config;
    const weight = this.weightOf(request);
    let retryAt = -Infinity;
    let rule: HistoricalPacingRule | undefined;
    const consider = (at: number | null, which: HistoricalPacingRule) => {
      if (at !== null && at > retryAt) {
        retryAt = at;
        rule = which;
      }
    };

    const last = this.lastIdentical.get(identicalRequestKey(request));
    consider(last !== undefined && now - last < identicalWindowMs ? last + identicalWindowMs : null, 'identical_request');
    const sameContract = this.byContract.get(sameContractKey(request)) ?? [];
    consider(earliestFit(sameContract, Math.min(weight, sameContractMax), sameContractMax, sameContractWindowMs, now), 'same_contract');
    consider(earliestFit(this.all, Math.min(weight, windowMax), windowMax, windowMs, now), 'request_window');

    return rule === undefined ? OK : { ok: false, retryAt, rule };
  }

  record(request: HistoricalRequest, now: number): void {
    this.prune(now);
    const sent: Sent = { at: now, weight: this.weightOf(request) };
    const identical = identicalRequestKey(request);
    this.lastIdentical.delete(identical);
    this.lastIdentical.set(identical, now);
    const contract = sameContractKey(request);
    const history = this.byContract.get(contract) ?? [];
    this.byContract.delete(contract);
    dropExpired(history, this.config.sameContractWindowMs, now);
    insertByTime(history, sent);
    this.byContract.set(contract, history);
    insertByTime(this.all, sent);
  }

  /** `check`, and `record` when allowed: for callers that send whatever is allowed. */
  tryAcquire(request: HistoricalRequest, now: number): PacingDecision {
    const decision = this.check(request, now);
    if (decision.ok) this.record(request, now);
    return decision;
  }

  private weightOf(request: HistoricalRequest): number {
    return this.config.doubleCountedTickTypes.includes(request.whatToShow) ? 2 : 1;
  }

  /** Forgets what no rule can count any more, so memory stays bounded by the windows. */
  private prune(now: number): void {
    const { identicalWindowMs, sameContractWindowMs, windowMs } = this.config;
    for (const [key, at] of this.lastIdentical) {
      if (now - at < identicalWindowMs) break;
      this.lastIdentical.delete(key);
    }
    for (const [key, history] of this.byContract) {
      if (now - history[history.length - 1]!.at < sameContractWindowMs) break;
      this.byContract.delete(key);
    }
    dropExpired(this.all, windowMs, now);
  }
}

function dropExpired(history: Sent[], windowMs: number, now: number): void {
  let expired = 0;
  while (expired < history.length && now - history[expired]!.at >= windowMs) expired++;
  if (expired > 0) history.splice(0, expired);
}

/** Keeps histories oldest-first even if a caller's clock steps backwards. */
function insertByTime(history: Sent[], sent: Sent): void {
  let i = history.length;
  while (i > 0 && history[i - 1]!.at > sent.at) i--;
  history.splice(i, 0, sent);
}

/**
 * Sent requests count against a rule while `now - at < windowMs`. Returns null if one more of
 * `weight` fits now, else the moment enough of the oldest have aged out for it to fit.
 */
function earliestFit(history: readonly Sent[], weight: number, max: number, windowMs: number, now: number): number | null {
  let start = 0;
  while (start < history.length && now - history[start]!.at >= windowMs) start++;
  let counted = 0;
  for (let i = start; i < history.length; i++) counted += history[i]!.weight;
  for (let i = start; counted + weight > max; i++) {
    counted -= history[i]!.weight;
    if (counted + weight <= max) return history[i]!.at + windowMs;
  }
  return null;
}
