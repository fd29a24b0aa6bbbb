import type { SyntheticSourceConfig } from '../sourceConfig.ts';
import type { MarketDataSource, SourceContext } from '../marketDataSource.ts';
import { GbmPaths } from './gbmPaths.ts';

const DEFAULT_START_PRICE = 100;

/** Seeded GBM quotes for tests and demos; see GbmPaths for the model. */
export function syntheticSource(config: SyntheticSourceConfig): MarketDataSource {
  let timer: unknown = null;
  let context: SourceContext | null = null;
  return {
    async start(ctx) {
      context = ctx;
      const indices = Int32Array.from(ctx.instruments, (symbol) => ctx.index.indexOf(symbol));
      const paths = new GbmPaths({
        seed: config.seed,
        drift: config.drift,
        volatility: config.volatility,
        tickIntervalMs: config.tickIntervalMs,
        startPrices: ctx.instruments.map((symbol) => config.startPrices[symbol] ?? DEFAULT_START_PRICE),
        startTimeMs: ctx.clock.now(),
        jumps: config.jumps,
        gaps: config.gaps,
        outages: config.outages,
      });
      const halfSpread = config.spreadBps / 20_000;
      const publish = () => {
        for (let i = 0; i < indices.length; i += 1) {
          const price = paths.prices[i] as number;
          ctx.ticks.quote(indices[i] as number, price * (1 - halfSpread), price * (1 + halfSpread), price, paths.timeMs);
        }
      };
      const next = () => {
        if (ctx.signal.aborted) return;
        if (paths.step()) publish();
        timer = ctx.clock.setTimeout(next, config.tickIntervalMs);
      };
      publish();
      timer = ctx.clock.setTimeout(next, config.tickIntervalMs);
    },
    stop() {
      if (timer !== null && context) context.clock.clearTimeout(timer);
      timer = null;
    },
  };
}
