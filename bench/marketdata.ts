/**
 * Market data engine benchmark (`npm run bench -- marketdata [--quick]`):
 * - ticks_per_s: ticks validated and consolidated per second, 3 sources x 50 instruments,
 *   pre-generated batches through the real engine (clock = the batch's arrival time);
 * - plain_loop_ticks_per_s: the same arithmetic as one bare loop, same data, same run (ceiling);
 * - tick_p99_ms: tick arrival (receivedMs, stamped when the source reads it) -> consolidated
 *   price at a subscriber, at a steady 100K ticks/s, real clock; tick_schedule_lag_p99_ms is the
 *   extra wait between a tick falling due and the loop reading it (OS scheduling on a busy box);
 * - route_p99_ms_under_load: the orders benchmark's routing latency (job pickup -> placeOrder
 *   bytes, 200 orders/s through the simulator) while the engine takes a steady 100K ticks/s in
 *   the same process; route_p99_ms_quiet is the same measurement without the ticks, same run;
 * - capture_ratio: (accepted + rejected + held) / sent over everything this run sent.
 */
import { MarketDataEngine } from '../src/marketdata/marketDataEngine.ts';
import { createTickBatch, type TickBatch } from '../src/marketdata/tickBatch.ts';
import { BENCH_INSTRUMENTS, BENCH_SOURCES, benchConfig, benchRegistry, benchSymbols, SyntheticFeed } from './_marketdataFeed.ts';
import { startSteadyTickLoad } from './_marketdataLoad.ts';
import { runPlainLoop } from './_marketdataPlainLoop.ts';
import { percentile, progress, round } from './_stats.ts';
import { routeLatency } from './orders.ts';

const BATCH = 512;
/** Virtual arrival rate of the pre-generated data: only sets the spacing of timestamps. */
const VIRTUAL_RATE = 1_000_000;
const T0 = Date.UTC(2026, 0, 5, 14, 30);

export async function run({ quick }: { quick: boolean }): Promise<Record<string, unknown>> {
  const ticksPerPass = quick ? 1_000_000 : 2_000_000;
  const passes = quick ? 3 : 6;
  const steadyMs = quick ? 5_000 : 20_000;
  const symbols = benchSymbols();

  progress(`generating ${ticksPerPass} ticks (${BENCH_SOURCES.length} sources x ${BENCH_INSTRUMENTS} instruments)`);
  const { batches, garbage } = generate(ticksPerPass);
  const sourceNo = new Map<string, number>(BENCH_SOURCES.map((source, i) => [source, i]));
  const sourceOf = (batch: TickBatch): number => sourceNo.get(batch.source)!;

  let sent = 0;
  let accounted = 0;
  let engineSeconds = 0;
  let plainSeconds = 0;
  for (let pass = -1; pass < passes; pass++) {
    // Pass -1 warms the JIT for both and is not counted.
    const engine = freshEngine(symbols, batches);
    const t0 = performance.now();
    for (const batch of batches) engine.ingest(batch);
    const t1 = performance.now();
    const plain = runPlainLoop(batches, sourceOf, BENCH_INSTRUMENTS, BENCH_SOURCES.length);
    const t2 = performance.now();
    const totals = engine.counters.totals();
    sent += ticksPerPass;
    accounted += totals.accepted + totals.rejected + totals.held;
    if (pass < 0) continue;
    engineSeconds += (t1 - t0) / 1_000;
    plainSeconds += (t2 - t1) / 1_000;
    progress(`pass ${pass + 1}/${passes}: engine ${round(ticksPerPass / ((t1 - t0) / 1_000), 0)} ticks/s (accepted ${totals.accepted}, rejected ${totals.rejected}, held ${totals.held}; ${garbage} garbage sent), plain loop ${round(ticksPerPass / ((t2 - t1) / 1_000), 0)} ticks/s (accepted ${plain.accepted})`);
  }

  progress(`steady 100K ticks/s for ${steadyMs / 1_000} s`);
  const load = startSteadyTickLoad({ ratePerSecond: 100_000 });
  await new Promise((resolve) => setTimeout(resolve, steadyMs));
  const steady = await load.stop();
  sent += steady.sent;
  accounted += steady.accepted + steady.rejected + steady.held;
  progress(`steady: ${round(steady.achievedRatePerSecond, 0)} ticks/s sent, p50 ${round(steady.latencyP50Ms, 4)} ms, p99 ${round(steady.latencyP99Ms, 4)} ms, max ${round(steady.latencyMaxMs, 3)} ms over ${steady.latencySamples} ticks; schedule lag p50 ${round(steady.scheduleLagP50Ms, 4)} ms, p99 ${round(steady.scheduleLagP99Ms, 4)} ms`);

  const routeOrders = quick ? 300 : 1_500;
  progress(`order routing at 200 orders/s, quiet (${routeOrders} orders)`);
  const quiet = await routeLatency(routeOrders);
  progress(`order routing at 200 orders/s while 100K ticks/s stream`);
  const background = startSteadyTickLoad({ ratePerSecond: 100_000 });
  const loaded = await routeLatency(routeOrders);
  const loadStats = await background.stop();
  sent += loadStats.sent;
  accounted += loadStats.accepted + loadStats.rejected + loadStats.held;
  progress(`routing p99 quiet ${round(percentile(quiet, 99), 3)} ms, under load ${round(percentile(loaded, 99), 3)} ms (${round(loadStats.achievedRatePerSecond, 0)} ticks/s alongside)`);

  return {
    ticks_per_s: round((ticksPerPass * passes) / engineSeconds, 0),
    plain_loop_ticks_per_s: round((ticksPerPass * passes) / plainSeconds, 0),
    tick_p99_ms: round(steady.latencyP99Ms, 4),
    tick_schedule_lag_p99_ms: round(steady.scheduleLagP99Ms, 4),
    route_p99_ms_under_load: round(percentile(loaded, 99), 3),
    route_p99_ms_quiet: round(percentile(quiet, 99), 3),
    capture_ratio: round(accounted / sent, 6),
  };
}

/** A fresh engine whose clock is the arrival time of the batch being ingested. */
function freshEngine(symbols: string[], batches: readonly TickBatch[]): MarketDataEngine {
  let batchIndex = 0;
  const engine = new MarketDataEngine({
    config: benchConfig(symbols),
    instruments: benchRegistry(symbols),
    now: () => {
      const batch = batches[batchIndex++]!;
      return batch.receivedMs[batch.count - 1]!;
    },
  });
  return engine;
}

function generate(ticks: number): { batches: TickBatch[]; garbage: number } {
  const feed = new SyntheticFeed(BENCH_INSTRUMENTS);
  const batches: TickBatch[] = [];
  const msPerTick = 1_000 / VIRTUAL_RATE;
  let instrument = 0;
  let made = 0;
  while (made < ticks) {
    // One batch per source in turn, each a run of instruments, as a socket read would deliver.
    for (let sourceNo = 0; sourceNo < BENCH_SOURCES.length && made < ticks; sourceNo++) {
      const batch = createTickBatch(BENCH_SOURCES[sourceNo]!, BATCH);
      const size = Math.min(BATCH, ticks - made);
      for (let j = 0; j < size; j++) {
        feed.push(batch, sourceNo, (instrument + j) % BENCH_INSTRUMENTS, T0 + (made + j) * msPerTick, 0.2);
      }
      made += size;
      batches.push(batch);
    }
    instrument = (instrument + BATCH) % BENCH_INSTRUMENTS;
  }
  return { batches, garbage: feed.garbageSent };
}
