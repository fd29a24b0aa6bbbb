import { z } from 'zod';
import type { LevelRow, ReportableLevels } from './reportableLevels.ts';

/** 17 CFR 17.00(g)(2)(v): a two-character exchange code. */
export const exchangeCodeSchema = z.string().regex(/^[A-Z0-9]{2}$/, 'must be two characters A-Z or 0-9 (17 CFR 17.00(g)(2)(v))');
/** 17 CFR 17.00(g)(1): Commodity Code (1) is five alphanumeric columns. */
export const commodityCodeSchema = z.string().regex(/^[A-Z0-9]{1,5}$/, 'must be 1-5 characters A-Z or 0-9 (17 CFR 17.00(g)(1), columns 31-35)');

export const instrumentMappingSchema = z.strictObject({
  /** The 15.03(b) row; omitted means the table's fallback ("All Other Commodities"). */
  levelRow: z.string().min(1).optional(),
  /** The reporting market, as tradewire names it (CME, CBOT, NYMEX, COMEX). */
  exchange: z.string().min(1),
  exchangeCode: exchangeCodeSchema,
  commodityCode: commodityCodeSchema,
  /** Why this row applies: the mapping is a judgement, so it carries its reason. */
  why: z.string().optional(),
});

export const instrumentMapSchema = z.strictObject({
  note: z.string().optional(),
  instruments: z.record(z.string().min(1), instrumentMappingSchema),
});

export type InstrumentMapping = z.output<typeof instrumentMappingSchema>;
export type InstrumentMapFile = z.output<typeof instrumentMapSchema>;

/** One contract market: a commodity on one reporting market (15.00(p)(1): "on any one reporting market"). */
export interface ContractMarket {
  key: string;
  exchange: string;
  exchangeCode: string;
  commodityCode: string;
  level: LevelRow;
}

export class UnmappedInstrumentError extends Error {
  override readonly name = 'UnmappedInstrumentError';
}

/** tradewire instrument symbol → its contract market and 15.03(b) level. */
export class InstrumentMap {
  private readonly markets = new Map<string, ContractMarket>();

  constructor(
    readonly file: InstrumentMapFile,
    levels: ReportableLevels,
  ) {
    for (const [symbol, mapping] of Object.entries(file.instruments)) {
      const level = levels.rowOrFallback(mapping.levelRow);
      const key = `${mapping.exchangeCode}:${mapping.commodityCode}`;
      this.markets.set(symbol, { key, exchange: mapping.exchange, exchangeCode: mapping.exchangeCode, commodityCode: mapping.commodityCode, level });
    }
  }

  get symbols(): string[] {
    return [...this.markets.keys()];
  }

  /** The contract market of an instrument; an unmapped one cannot be reported, so it is an error. */
  marketOf(symbol: string): ContractMarket {
    const market = this.markets.get(symbol);
    if (!market) throw new UnmappedInstrumentError(`instrument '${symbol}' has no entry in the instrument map: add it with its 15.03(b) row, exchange code and commodity code`);
    return market;
  }

  has(symbol: string): boolean {
    return this.markets.has(symbol);
  }

  exchangeCodes(): Set<string> {
    return new Set([...this.markets.values()].map((market) => market.exchangeCode));
  }
}
