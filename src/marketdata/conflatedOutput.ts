import type { ConsolidatedPrice } from './consolidatedPrices.ts';
import type { MarketDataEngine } from './marketDataEngine.ts';

/**
 * Hands consumers at most one price per instrument per interval, however fast ticks arrive: on
 * each flush it compares every instrument's version with the one it last sent. The engine knows
 * nothing about its outputs, and a slow consumer only ever sees the newest price.
 */
export class ConflatedOutput {
  private readonly sentVersion: Float64Array;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** Flushes skipped because the previous delivery had not finished. */
  skipped = 0;
  failures = 0;

  constructor(
    private readonly engine: MarketDataEngine,
    private readonly intervalMs: number,
    private readonly deliver: (prices: ConsolidatedPrice[]) => void | Promise<void>,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {
    this.sentVersion = new Float64Array(engine.instruments.size);
  }

  /** Delivers what changed since the last flush; returns how many prices that was. */
  flush(): number {
    if (this.inFlight) {
      this.skipped += 1;
      return 0;
    }
    const { version } = this.engine.prices;
    const changed: ConsolidatedPrice[] = [];
    for (let i = 0; i < version.length; i++) {
      if (version[i] === this.sentVersion[i]) continue;
      this.sentVersion[i] = version[i]!;
      changed.push(this.engine.lastPrice(this.engine.instruments.symbolOf(i))!);
    }
    if (changed.length === 0) return 0;
    try {
      const result = this.deliver(changed);
      if (result && typeof result.then === 'function') {
        this.inFlight = result.then(
          () => undefined,
          (error: unknown) => this.fail(error),
        ).finally(() => (this.inFlight = undefined));
      }
    } catch (error) {
      this.fail(error);
    }
    return changed.length;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and delivers what is still pending. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    this.flush();
    await this.inFlight;
  }

  private fail(error: unknown): void {
    this.failures += 1;
    try {
      this.onFailure(error);
    } catch {
      // Reporting must never become the second failure.
    }
  }
}
