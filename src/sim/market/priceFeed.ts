import type { Instrument } from '../../instruments/instruments.ts';
import { SeededRandom } from '../../shared/seededRandom.ts';

/**
 * Last prices of every instrument as integer tick counts, driven by a seeded random walk.
 *
 * Prices live in typed arrays and are stepped in place: the tick path does no allocation.
 * `volatility` is the per-step standard deviation as a fraction of price; fractional tick moves
 * are rounded stochastically so small volatilities still move prices with the right variance.
 */
export class PriceFeed {
  readonly ticks: Float64Array;
  readonly volume: Float64Array;
  readonly lastSize: Float64Array;
  private readonly random: SeededRandom;

  constructor(
    private readonly instruments: readonly Instrument[],
    seed: number,
    private readonly volatility: number,
  ) {
    this.random = new SeededRandom(seed);
    this.ticks = new Float64Array(instruments.length);
    this.volume = new Float64Array(instruments.length);
    this.lastSize = new Float64Array(instruments.length);
    for (const instrument of instruments) {
      this.ticks[instrument.index] = Math.round(instrument.initialPrice / instrument.tickSize);
      this.lastSize[instrument.index] = 1;
    }
  }

  priceTicks(index: number): number {
    return this.ticks[index] as number;
  }

  price(instrument: Instrument): number {
    return roundToTick((this.ticks[instrument.index] as number) * instrument.tickSize, instrument);
  }

  setPrice(instrument: Instrument, price: number): void {
    this.ticks[instrument.index] = Math.max(1, Math.round(price / instrument.tickSize));
  }

  /** Advances one step every product whose session is open (`open[i] === 1`); closed markets do not move. */
  step(open: Uint8Array): void {
    const n = this.instruments.length;
    for (let i = 0; i < n; i++) {
      if (open[i] !== 1) continue;
      const current = this.ticks[i] as number;
      const sigmaTicks = current * this.volatility;
      const move = this.random.normal() * sigmaTicks;
      const whole = Math.floor(move);
      const delta = whole + (this.random.next() < move - whole ? 1 : 0);
      this.ticks[i] = current + delta > 1 ? current + delta : 1;
      const size = 1 + Math.floor(this.random.next() * 10);
      this.lastSize[i] = size;
      this.volume[i] = (this.volume[i] as number) + size;
    }
  }
}

/** Removes binary floating-point noise from a tick multiple (e.g. 2650.1000000000004 -> 2650.1). */
export function roundToTick(price: number, instrument: Instrument): number {
  return Number(price.toFixed(instrument.priceDecimals));
}
