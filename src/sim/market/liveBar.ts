import type { Instrument } from '../../instruments/instruments.ts';

/**
 * The bar in progress for a keepUpToDate historical-data request, in integer price ticks.
 * Bars are aligned to multiples of their length on the simulator clock.
 */
export class LiveBar {
  startSeconds = Number.NaN;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  count = 0;

  constructor(
    readonly instrument: Instrument,
    readonly barSeconds: number,
    readonly formatDate: number,
  ) {}

  /** Folds the latest trade into the bar, starting a new bar when the clock crosses a boundary. */
  update(nowMs: number, lastTicks: number, size: number): void {
    const start = Math.floor(nowMs / 1000 / this.barSeconds) * this.barSeconds;
    if (start !== this.startSeconds) {
      this.startSeconds = start;
      this.open = this.high = this.low = lastTicks;
      this.volume = 0;
      this.count = 0;
    }
    if (lastTicks > this.high) this.high = lastTicks;
    if (lastTicks < this.low) this.low = lastTicks;
    this.close = lastTicks;
    this.volume += size;
    this.count++;
  }
}
