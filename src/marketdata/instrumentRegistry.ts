import type { InstrumentIndex } from './tickBatch.ts';
import type { MarketDataConfig } from './marketDataConfig.ts';

export class DuplicateInstrumentError extends Error {
  override readonly name = 'DuplicateInstrumentError';
}

/**
 * The fixed symbol <-> index map of the configured instruments. Fixed at construction because
 * every per-instrument table in the engine is a typed array sized by it.
 */
export class InstrumentRegistry implements InstrumentIndex {
  private readonly indexBySymbol = new Map<string, number>();
  private readonly symbols: readonly string[];

  constructor(symbols: readonly string[]) {
    symbols.forEach((symbol, index) => {
      if (this.indexBySymbol.has(symbol)) throw new DuplicateInstrumentError(`instrument ${JSON.stringify(symbol)} is configured twice`);
      this.indexBySymbol.set(symbol, index);
    });
    this.symbols = [...symbols];
  }

  /** The instruments of `marketData.instruments`, in the order the config lists them. */
  static fromConfig(config: Pick<MarketDataConfig, 'instruments'>): InstrumentRegistry {
    return new InstrumentRegistry(Object.keys(config.instruments));
  }

  indexOf(symbol: string): number {
    return this.indexBySymbol.get(symbol) ?? -1;
  }

  symbolOf(index: number): string {
    const symbol = this.symbols[index];
    if (symbol === undefined) throw new RangeError(`no instrument at index ${index} (there are ${this.symbols.length})`);
    return symbol;
  }

  get size(): number {
    return this.symbols.length;
  }

  all(): readonly string[] {
    return this.symbols;
  }
}
