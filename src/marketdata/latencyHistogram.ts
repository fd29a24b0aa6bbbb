/** Upper bounds (ms) of the source latency buckets, finer below 1 ms where the budget is. */
export const LATENCY_BUCKETS_MS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000] as const;

// Hand-made: recorded once per tick on the market-data hot path; prom-client's Histogram.observe costs a label lookup and an object per call.
/**
 * Per-source latency histograms in plain typed arrays so recording one costs a few compares;
 * prom-client only sees them when scraped.
 */
export class LatencyHistogram {
  /** Non-cumulative counts, `(buckets + 1)` per source, the last one being +Inf. */
  readonly counts: Float64Array;
  readonly sumMs: Float64Array;
  readonly total: Float64Array;
  readonly stride = LATENCY_BUCKETS_MS.length + 1;
  private readonly bounds = Float64Array.from(LATENCY_BUCKETS_MS);

  constructor(sources: number) {
    this.counts = new Float64Array(sources * this.stride);
    this.sumMs = new Float64Array(sources);
    this.total = new Float64Array(sources);
  }

  /** Negative latencies (the source's clock ahead of ours) count as zero. */
  record(source: number, latencyMs: number): void {
    const value = latencyMs > 0 ? latencyMs : 0;
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
    this.counts[source * this.stride + bucket]! += 1;
    this.sumMs[source]! += value;
    this.total[source]! += 1;
  }

  /** Cumulative counts per bound for one source, +Inf last (what Prometheus wants). */
  cumulative(source: number): number[] {
    const out: number[] = [];
    let running = 0;
    for (let b = 0; b < this.stride; b++) {
      running += this.counts[source * this.stride + b]!;
      out.push(running);
    }
    return out;
  }
}
