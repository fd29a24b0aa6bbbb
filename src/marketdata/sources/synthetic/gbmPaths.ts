import { SeededRandom } from '../../../shared/seededRandom.ts';

export interface GbmSettings {
  seed: number;
  /** Annualised drift and volatility. */
  drift: number;
  volatility: number;
  tickIntervalMs: number;
  startPrices: readonly number[];
  startTimeMs: number;
  jumps?: { probability: number; sizeSigma: number } | undefined;
  gaps?: { probability: number; maxTicks: number } | undefined;
  outages?: { everyMs: number; forMs: number } | undefined;
}

const MS_PER_YEAR = 365.25 * 24 * 3_600_000;

/**
 * Prices of several instruments following geometric Brownian motion, one step per tick, with
 * optional jumps, random gaps (skipped ticks) and periodic outages. Pure and deterministic: the
 * same settings give the same path, whatever clock drives it. Prices keep moving through gaps and
 * outages, so the first tick after one shows the move, as a real feed would.
 */
export class GbmPaths {
  readonly prices: Float64Array;
  /** Steps taken; the time of the current prices is startTimeMs + steps * tickIntervalMs. */
  steps = 0;
  private readonly random: SeededRandom;
  /** Holes in the feed draw from their own stream, so the price path is the same with or without them. */
  private readonly gapRandom: SeededRandom;
  private readonly driftPerStep: number;
  private readonly volatilityPerStep: number;
  private gapTicksLeft = 0;

  constructor(private readonly settings: GbmSettings) {
    this.random = new SeededRandom(settings.seed);
    this.gapRandom = new SeededRandom(settings.seed ^ 0x9e3779b9);
    this.prices = Float64Array.from(settings.startPrices);
    const dt = settings.tickIntervalMs / MS_PER_YEAR;
    this.driftPerStep = (settings.drift - (settings.volatility * settings.volatility) / 2) * dt;
    this.volatilityPerStep = settings.volatility * Math.sqrt(dt);
  }

  get timeMs(): number {
    return this.settings.startTimeMs + this.steps * this.settings.tickIntervalMs;
  }

  /** Moves every price one tick on; returns whether this tick is delivered (not in a gap or outage). */
  step(): boolean {
    this.steps += 1;
    const { jumps } = this.settings;
    for (let i = 0; i < this.prices.length; i += 1) {
      let logReturn = this.driftPerStep + this.volatilityPerStep * this.random.normal();
      if (jumps && this.random.next() < jumps.probability) logReturn += jumps.sizeSigma * this.random.normal();
      this.prices[i] = (this.prices[i] as number) * Math.exp(logReturn);
    }
    const inGap = this.advanceGap();
    return !inGap && !this.inOutage();
  }

  /** Whether the current time falls in an outage window: [k * everyMs, k * everyMs + forMs), k >= 1. */
  inOutage(): boolean {
    const outages = this.settings.outages;
    if (!outages) return false;
    const elapsed = this.steps * this.settings.tickIntervalMs;
    return elapsed >= outages.everyMs && elapsed % outages.everyMs < outages.forMs;
  }

  private advanceGap(): boolean {
    if (this.gapTicksLeft > 0) {
      this.gapTicksLeft -= 1;
      return true;
    }
    const gaps = this.settings.gaps;
    if (!gaps || this.gapRandom.next() >= gaps.probability) return false;
    this.gapTicksLeft = Math.floor(this.gapRandom.next() * gaps.maxTicks);
    return true;
  }
}
