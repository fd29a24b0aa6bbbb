/** Who halted or resumed intake and why, as the announcement of a change says it. */
export interface HaltOrigin {
  who: string;
  reason: string;
}

/** One change of the halt: a cause set (`set`) or cleared; `halted` is whether intake is still halted after it. */
export interface HaltChange extends HaltOrigin {
  cause: string;
  set: boolean;
  halted: boolean;
  at: string;
}

/** Whoever halts without naming anyone: the runtime itself (a Redis state loss). */
const RUNTIME = 'tradewire';

/**
 * Order intake can be halted (Redis lost its state, an operator's kill switch): while halted, new
 * orders that add risk are refused with the reason and end `rejected`; cancels and risk-reducing
 * orders still go through. The holder of the reasons decides; this object only answers "why not".
 */
export class IntakeHalt {
  private readonly reasons = new Map<string, string>();
  private readonly listeners = new Set<(reason: string | null, change: HaltChange) => void>();

  /** Halts under `key` (one per cause, so clearing one cause leaves the others); `origin` says who and why, when not the runtime for `reason`. */
  halt(key: string, reason: string, origin: HaltOrigin = { who: RUNTIME, reason }): void {
    this.reasons.set(key, reason);
    this.announce(key, true, origin);
  }

  /** Clears one cause; false when it was not set. */
  clear(key: string, origin: HaltOrigin = { who: RUNTIME, reason: 'cleared' }): boolean {
    const had = this.reasons.delete(key);
    if (had) this.announce(key, false, origin);
    return had;
  }

  /** Every reason now in force, joined; null when intake runs. */
  get reason(): string | null {
    return this.reasons.size === 0 ? null : [...this.reasons.values()].join('; ');
  }

  get causes(): ReadonlyMap<string, string> {
    return this.reasons;
  }

  onChange(listener: (reason: string | null, change: HaltChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(cause: string, set: boolean, origin: HaltOrigin): void {
    const reason = this.reason;
    const change: HaltChange = { cause, set, halted: reason !== null, who: origin.who, reason: origin.reason, at: new Date().toISOString() };
    for (const listener of this.listeners) listener(reason, change);
  }
}
