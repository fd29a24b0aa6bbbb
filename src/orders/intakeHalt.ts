/**
 * Order intake can be halted (Redis lost its state, an operator's kill switch): while halted, new
 * orders that add risk are refused with the reason and end `rejected`; cancels and risk-reducing
 * orders still go through. The holder of the reasons decides; this object only answers "why not".
 */
export class IntakeHalt {
  private readonly reasons = new Map<string, string>();
  private readonly listeners = new Set<(reason: string | null) => void>();

  /** Halts under `key` (one per cause, so clearing one cause leaves the others). */
  halt(key: string, reason: string): void {
    this.reasons.set(key, reason);
    this.announce();
  }

  /** Clears one cause; false when it was not set. */
  clear(key: string): boolean {
    const had = this.reasons.delete(key);
    if (had) this.announce();
    return had;
  }

  /** Every reason now in force, joined; null when intake runs. */
  get reason(): string | null {
    return this.reasons.size === 0 ? null : [...this.reasons.values()].join('; ');
  }

  get causes(): ReadonlyMap<string, string> {
    return this.reasons;
  }

  onChange(listener: (reason: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(): void {
    const reason = this.reason;
    for (const listener of this.listeners) listener(reason);
  }
}
