// Hand-made: checked on every outbound IB message, and it must also answer *when* the next token comes (the drain timer), which rate-limit packages do not expose.
/** IB disconnects clients that send more than 50 messages in a second. */
export const IB_MAX_MESSAGES_PER_SECOND = 50;

export interface TokenBucketConfig {
  /** Sustained messages per second. */
  readonly ratePerSecond: number;
  /**
   * Tokens the bucket holds when idle. Any one-second window can carry up to
   * `ratePerSecond + burst` messages, so the defaults add up to IB's limit of 50.
   */
  readonly burst: number;
}

export const DEFAULT_TOKEN_BUCKET: TokenBucketConfig = Object.freeze({ ratePerSecond: 45, burst: 5 });

// Floating-point refill can land a hair under a whole token at the exact instant
// nextAvailableAt promised; this tolerance keeps that promise without adding capacity.
const EPSILON = 1e-9;

export class TokenBucket {
  private rate: number;
  private readonly capacity: number;
  private tokens: number;
  private refilledAt: number | undefined;

  constructor(config: Partial<TokenBucketConfig> = {}) {
    const { ratePerSecond, burst } = { ...DEFAULT_TOKEN_BUCKET, ...config };
    assertRate(ratePerSecond);
    if (!Number.isFinite(burst) || burst < 1) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.rate = ratePerSecond;
    this.capacity = burst;
    this.tokens = burst;
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  get burst(): number {
    return this.capacity;
  }

  /** Takes one token if one is available at `now`. */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1 - EPSILON) return false;
    this.tokens = Math.max(0, this.tokens - 1);
    return true;
  }

  /** When `tryTake` will next succeed: `now` if it would now, otherwise after a whole number of milliseconds. */
  nextAvailableAt(now: number): number {
    this.refill(now);
    if (this.tokens >= 1 - EPSILON) return now;
    const earningFrom = Math.max(now, this.refilledAt ?? now);
    // Half the tolerance off the deficit, or a wait of 1 ms computed as 1.0000000000000009 rounds up to 2.
    return earningFrom + Math.ceil(((1 - EPSILON / 2 - this.tokens) * 1000) / this.rate);
  }

  /** Changes the refill rate from `now` on; tokens earned so far were earned at the old rate. */
  setRate(ratePerSecond: number, now: number): void {
    assertRate(ratePerSecond);
    this.refill(now);
    this.rate = ratePerSecond;
  }

  private refill(now: number): void {
    if (this.refilledAt === undefined || now <= this.refilledAt) {
      // A clock that steps backwards earns nothing rather than a negative refill.
      this.refilledAt ??= now;
      return;
    }
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.rate) / 1000);
    this.refilledAt = now;
  }
}

function assertRate(ratePerSecond: number): void {
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
  }
}
