import type { Now } from '../../shared/clock.ts';

export interface LoginAttemptsOptions {
  /** Failed logins allowed per address within `windowMs`; the next one is refused until the oldest ages out. */
  maxFailures?: number;
  windowMs?: number;
  now?: Now;
  /** Addresses tracked at most; the one tracked longest goes first. */
  maxAddresses?: number;
}

/**
 * Failed logins per remote address, in a sliding window: past `maxFailures` the address is refused
 * (429) without its token being looked at, until the oldest failure is `windowMs` old. A right token
 * clears the address's failures. Guessing a token this way takes forever; a typo costs nothing.
 */
export class LoginAttempts {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: Now;
  private readonly maxAddresses: number;

  constructor(options: LoginAttemptsOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Milliseconds until `address` may try again; 0 when it may now. */
  blockedForMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, recent[0]! + this.windowMs - this.now());
  }

  fail(address: string): void {
    const recent = this.recent(address);
    this.failures.delete(address);
    if (this.failures.size >= this.maxAddresses) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, [...recent, this.now()].slice(-this.maxFailures));
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(address);
    return recent;
  }
}
