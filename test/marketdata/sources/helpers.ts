import type { ListingLookup } from '../../../src/contracts/index.ts';
import { futureContract } from '../../../src/ib/parsing/contracts.ts';
import { listingOf } from '../../../src/ib/referenceData/index.ts';
import type { IbSession } from '../../../src/ib/session/ibSession.ts';
import type { InstrumentIndex, SourceHealth, TickBatch, TickSink } from '../../../src/marketdata/tickBatch.ts';

/** A trivial InstrumentIndex over a symbol list. */
export class SymbolList implements InstrumentIndex {
  constructor(private readonly symbols: readonly string[]) {}

  indexOf(symbol: string): number {
    return this.symbols.indexOf(symbol);
  }

  symbolOf(index: number): string {
    return this.symbols[index] ?? '';
  }

  get size(): number {
    return this.symbols.length;
  }
}

export interface RecordedTick {
  source: string;
  symbol: string;
  bid: number;
  ask: number;
  last: number;
  sourceTsMs: number;
}

/** A TickSink that copies what it receives (batches are reused by sources, so it must copy). */
export class RecordingSink implements TickSink {
  readonly ticks: RecordedTick[] = [];
  readonly health: { source: string; health: SourceHealth }[] = [];
  batches = 0;

  constructor(private readonly index: InstrumentIndex) {}

  ingest(batch: TickBatch): void {
    this.batches += 1;
    for (let i = 0; i < batch.count; i += 1) {
      this.ticks.push({
        source: batch.source,
        symbol: this.index.symbolOf(batch.instrument[i] as number),
        bid: batch.bid[i] as number,
        ask: batch.ask[i] as number,
        last: batch.last[i] as number,
        sourceTsMs: batch.sourceTsMs[i] as number,
      });
    }
  }

  setSourceHealth(source: string, health: SourceHealth): void {
    this.health.push({ source, health });
  }

  healthOf(source: string): SourceHealth[] {
    return this.health.filter((h) => h.source === source).map((h) => h.health);
  }

  ticksOf(symbol: string): RecordedTick[] {
    return this.ticks.filter((t) => t.symbol === symbol);
  }
}

/** Lets promise chains and setImmediate work (file reads, breaker calls) run; not a timing wait. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}


/**
 * The gateway's own listing (the simulator lists every month the futures calendar lists at its
 * clock), read from its contract details, without months expired at `at`: what
 * ReferenceDataService.futuresOf gives, minus the cache (tested on its own).
 */
export const gatewayListing = (session: () => IbSession): ListingLookup => async (symbol, at) => {
  const listed = listingOf(await session().contractDetails(futureContract(symbol)));
  return at === undefined ? listed : listed.filter((l) => l.expiresAt > at);
};
