import type { MarketDataEngine } from '../marketdata/index.ts';
import { REJECT_REASONS } from '../marketdata/rejectReasons.ts';

const TICK_REJECTS: ReadonlySet<string> = new Set(REJECT_REASONS);

/**
 * Quality-control rejects per instrument and reason since the node started (`GET /prices`). The
 * engine counts them per source; per instrument they are in its reject log, a ring this reads
 * forward from a cursor on every `GET /prices` and every `intervalMs`, so a flood between two reads
 * is counted unless it outruns the ring (`marketData.rejects.ringSize`, 65 536 by default).
 * Cross-source outliers are not rejects (the tick was accepted) and are left out.
 */
export class RejectTally {
  private cursor: number;
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly engine: Pick<MarketDataEngine, 'rejectLog' | 'instruments'>,
    intervalMs = 1_000,
  ) {
    this.cursor = engine.rejectLog.written;
    this.timer = setInterval(() => this.drain(), intervalMs);
    this.timer.unref();
  }

  /** The rejects of `symbol` by reason; `{}` when none. */
  of(symbol: string): Record<string, number> {
    this.drain();
    return Object.fromEntries(this.counts.get(symbol) ?? []);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private drain(): void {
    const log = this.engine.rejectLog;
    const { instruments } = this.engine;
    for (let seq = Math.max(this.cursor, log.oldestSeq); seq < log.written; seq++) {
      const tick = log.at(seq);
      if (!tick || !TICK_REJECTS.has(tick.reason) || tick.instrument < 0 || tick.instrument >= instruments.size) continue;
      const symbol = instruments.symbolOf(tick.instrument);
      let bySymbol = this.counts.get(symbol);
      if (!bySymbol) this.counts.set(symbol, (bySymbol = new Map()));
      bySymbol.set(tick.reason, (bySymbol.get(tick.reason) ?? 0) + 1);
    }
    this.cursor = log.written;
  }
}
