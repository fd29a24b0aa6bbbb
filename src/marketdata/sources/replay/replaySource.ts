import type { ReplaySourceConfig } from '../sourceConfig.ts';
import type { MarketDataSource, SourceContext } from '../marketDataSource.ts';
import { loadReplayFile } from './loadReplayFile.ts';
import type { ReplayData } from './replayData.ts';

/** Rows per turn of the event loop at speed `max`, so a long file never blocks the process. */
const MAX_SPEED_CHUNK = 4_096;

/**
 * Replays a CSV file of timestamped prices (see the README for the format) at `speed` times real
 * time, or as fast as possible, optionally in a loop. Rows with the same timestamp go out together.
 */
export function replaySource(config: ReplaySourceConfig): MarketDataSource {
  let data: ReplayData | null = null;
  let timer: unknown = null;
  let context: SourceContext | null = null;
  let replayed = 0;
  let loops = 0;

  const play = (ctx: SourceContext, rows: ReplayData) => {
    let next = 0;
    const emit = (row: number) => {
      const at = config.timestamps === 'original' ? (rows.timeMs[row] as number) : ctx.clock.now();
      ctx.ticks.quote(rows.instrument[row] as number, rows.bid[row] as number, rows.ask[row] as number, rows.last[row] as number, at);
      replayed += 1;
    };
    /** Past the last row: start over, or tell the runtime the feed is done. */
    const wrapped = (): boolean => {
      if (next < rows.count) return true;
      if (!config.loop) {
        ctx.ended();
        return false;
      }
      next = 0;
      loops += 1;
      ctx.note('looped');
      return true;
    };
    const asFastAsPossible = () => {
      if (ctx.signal.aborted) return;
      const end = Math.min(rows.count, next + MAX_SPEED_CHUNK);
      while (next < end) emit(next++);
      ctx.ticks.flush();
      if (wrapped()) setImmediate(asFastAsPossible);
    };
    const atSpeed = (speed: number) => {
      const step = () => {
        if (ctx.signal.aborted) return;
        const groupTime = rows.timeMs[next] as number;
        while (next < rows.count && rows.timeMs[next] === groupTime) emit(next++);
        ctx.ticks.flush();
        const gapMs = next < rows.count ? (rows.timeMs[next] as number) - groupTime : 0;
        if (wrapped()) timer = ctx.clock.setTimeout(step, Math.max(0, gapMs / speed));
      };
      step();
    };
    if (config.speed === 'max') setImmediate(asFastAsPossible);
    else atSpeed(config.speed);
  };

  return {
    async start(ctx) {
      context = ctx;
      data = await loadReplayFile(config.file, { index: ctx.index, instruments: ctx.instruments, symbol: config.symbol }, ctx.signal);
      if (data.badLineCount > 0) {
        ctx.logger.warn('replay file has lines that could not be read; they are skipped', {
          sourceId: ctx.sourceId,
          file: config.file,
          badLineCount: data.badLineCount,
          firstBadLines: data.badLines.slice(0, 5),
        });
      }
      play(ctx, data);
    },
    stop() {
      if (timer !== null && context) context.clock.clearTimeout(timer);
      timer = null;
    },
    describe() {
      if (!data) return { file: config.file, loaded: false };
      return {
        file: config.file,
        rows: data.count,
        replayed,
        loops,
        badLineCount: data.badLineCount,
        badLines: data.badLines.slice(0, 5),
        skippedSymbols: data.skippedSymbols,
        outOfOrderRows: data.outOfOrderRows,
      };
    },
  };
}
