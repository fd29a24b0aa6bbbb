export interface AdaptiveRateConfig {
  /** The rate to run at and recover to, messages per second. */
  readonly configuredRate: number;
  /** Never step down below this. */
  readonly floorRate: number;
  /** Multiplier applied on error 100. */
  readonly decreaseFactor: number;
  /** Added back after each quiet interval without error 100. */
  readonly increaseStep: number;
  readonly quietIntervalMs: number;
  /**
   * Errors 100 arriving this soon after a step down are echoes of the same burst, already
   * answered; without this, one burst would drive the rate straight to the floor.
   */
  readonly holdoffMs: number;
}

export const DEFAULT_ADAPTIVE_RATE: AdaptiveRateConfig = Object.freeze({
  configuredRate: 45,
  floorRate: 5,
  decreaseFactor: 0.5,
  increaseStep: 5,
  quietIntervalMs: 10_000,
  holdoffMs: 1_000,
});

/**
 * AIMD for the outbound rate: halve on error 100, then add back a step per quiet interval
 * until the configured rate. Recovery is computed from the clock, so no timer is needed;
 * the caller applies `rateAt(now)` to the token bucket before draining.
 */
export class AdaptiveRate {
  private readonly config: AdaptiveRateConfig;
  private configured: number;
  private rate: number;
  /** Start of the quiet interval in progress. */
  private quietSince = -Infinity;
  private lastDecreaseAt = -Infinity;

  constructor(config: Partial<AdaptiveRateConfig> = {}) {
    this.config = { ...DEFAULT_ADAPTIVE_RATE, ...config };
    const { configuredRate, floorRate, decreaseFactor, increaseStep, quietIntervalMs, holdoffMs } = this.config;
    if (!(floorRate > 0)) throw new RangeError(`floorRate must be positive, got ${floorRate}`);
    if (!(configuredRate >= floorRate)) throw new RangeError(`configuredRate must be at least floorRate, got ${configuredRate}`);
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) throw new RangeError(`decreaseFactor must be in (0, 1), got ${decreaseFactor}`);
    if (!(increaseStep > 0)) throw new RangeError(`increaseStep must be positive, got ${increaseStep}`);
    if (!(quietIntervalMs > 0)) throw new RangeError(`quietIntervalMs must be positive, got ${quietIntervalMs}`);
    if (!(holdoffMs >= 0)) throw new RangeError(`holdoffMs must be zero or more, got ${holdoffMs}`);
    this.configured = configuredRate;
    this.rate = configuredRate;
  }

  get configuredRate(): number {
    return this.configured;
  }

  rateAt(now: number): number {
    this.recover(now);
    return this.rate;
  }

  /** Error 100 arrived. Returns the new rate. */
  onPacingViolation(now: number): number {
    this.recover(now);
    if (now - this.lastDecreaseAt >= this.config.holdoffMs) {
      this.rate = Math.max(this.config.floorRate, this.rate * this.config.decreaseFactor);
      this.lastDecreaseAt = now;
    }
    // An echo inside the holdoff still proves the link is not quiet.
    this.quietSince = now;
    return this.rate;
  }

  /**
   * A run-time config change. It applies at once, except that while recovering from error 100
   * a higher rate is only the new target of the recovery.
   */
  setConfiguredRate(rate: number, now: number): void {
    if (!(rate >= this.config.floorRate)) throw new RangeError(`configured rate must be at least floorRate, got ${rate}`);
    this.recover(now);
    const recovering = this.rate < this.configured;
    this.configured = rate;
    if (!recovering || this.rate > rate) this.rate = rate;
  }

  private recover(now: number): void {
    if (this.rate >= this.configured) return;
    const intervals = Math.floor((now - this.quietSince) / this.config.quietIntervalMs);
    if (intervals <= 0) return;
    this.rate = Math.min(this.configured, this.rate + intervals * this.config.increaseStep);
    this.quietSince += intervals * this.config.quietIntervalMs;
  }
}
