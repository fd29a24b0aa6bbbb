import { z } from 'zod';

export const instrumentSchema = z.object({
  symbol: z.string().min(1),
  conId: z.number().int().positive(),
  exchange: z.string().min(1),
  currency: z.string().length(3),
  multiplier: z.number().positive(),
  /** Quoted price units per currency unit: 100 for grains quoted in cents. */
  priceMagnifier: z.number().int().positive().default(1),
  tickSize: z.number().positive(),
  lastTradeDateOrContractMonth: z.string().regex(/^\d{8}$/),
  localSymbol: z.string().min(1),
  tradingClass: z.string().min(1),
  longName: z.string().default(''),
  timeZoneId: z.string().default('US/Central'),
  initialPrice: z.number().positive(),
  initialMargin: z.number().nonnegative(),
  maintenanceMargin: z.number().nonnegative(),
});

export type InstrumentConfig = z.input<typeof instrumentSchema>;
export type Instrument = z.output<typeof instrumentSchema> & {
  /** Index into the price feed's typed arrays. */
  index: number;
  /** Decimal places needed to print any multiple of the tick size exactly. */
  priceDecimals: number;
  /** The tick size in units of 10^-priceDecimals (an integer), for allocation-free price printing. */
  tickUnits: number;
};

/** Front-month futures with their real contract specs (margins are approximate). */
export const DEFAULT_INSTRUMENTS: readonly InstrumentConfig[] = [
  { symbol: 'ES', conId: 637533641, exchange: 'CME', currency: 'USD', multiplier: 50, tickSize: 0.25, lastTradeDateOrContractMonth: '20270319', localSymbol: 'ESH7', tradingClass: 'ES', longName: 'E-mini S&P 500', initialPrice: 5900, initialMargin: 22_000, maintenanceMargin: 20_000 },
  { symbol: 'NQ', conId: 637533398, exchange: 'CME', currency: 'USD', multiplier: 20, tickSize: 0.25, lastTradeDateOrContractMonth: '20270319', localSymbol: 'NQH7', tradingClass: 'NQ', longName: 'E-mini Nasdaq-100', initialPrice: 20800, initialMargin: 31_000, maintenanceMargin: 28_000 },
  { symbol: 'ZN', conId: 815824221, exchange: 'CBOT', currency: 'USD', multiplier: 1000, tickSize: 0.015625, lastTradeDateOrContractMonth: '20270319', localSymbol: 'ZN   MAR 27', tradingClass: 'ZN', longName: '10-Year T-Note', initialPrice: 110.5, initialMargin: 2_200, maintenanceMargin: 2_000 },
  { symbol: 'ZB', conId: 815824235, exchange: 'CBOT', currency: 'USD', multiplier: 1000, tickSize: 0.03125, lastTradeDateOrContractMonth: '20270319', localSymbol: 'ZB   MAR 27', tradingClass: 'ZB', longName: 'US Treasury Bond', initialPrice: 117, initialMargin: 4_400, maintenanceMargin: 4_000 },
  { symbol: 'CL', conId: 212921504, exchange: 'NYMEX', currency: 'USD', multiplier: 1000, tickSize: 0.01, lastTradeDateOrContractMonth: '20270120', localSymbol: 'CLG7', tradingClass: 'CL', longName: 'Light Sweet Crude Oil', timeZoneId: 'US/Eastern', initialPrice: 70, initialMargin: 6_500, maintenanceMargin: 5_900 },
  { symbol: 'GC', conId: 693609539, exchange: 'COMEX', currency: 'USD', multiplier: 100, tickSize: 0.1, lastTradeDateOrContractMonth: '20270224', localSymbol: 'GCG7', tradingClass: 'GC', longName: 'Gold', timeZoneId: 'US/Eastern', initialPrice: 2650, initialMargin: 11_000, maintenanceMargin: 10_000 },
  { symbol: 'ZC', conId: 532513362, exchange: 'CBOT', currency: 'USD', multiplier: 5000, priceMagnifier: 100, tickSize: 0.25, lastTradeDateOrContractMonth: '20270312', localSymbol: 'ZC   MAR 27', tradingClass: 'ZC', longName: 'Corn', initialPrice: 430, initialMargin: 1_500, maintenanceMargin: 1_350 },
  { symbol: 'ZW', conId: 532513437, exchange: 'CBOT', currency: 'USD', multiplier: 5000, priceMagnifier: 100, tickSize: 0.25, lastTradeDateOrContractMonth: '20270312', localSymbol: 'ZW   MAR 27', tradingClass: 'ZW', longName: 'Chicago SRW Wheat', initialPrice: 550, initialMargin: 2_200, maintenanceMargin: 2_000 },
  { symbol: '6E', conId: 496647057, exchange: 'CME', currency: 'USD', multiplier: 125000, tickSize: 0.00005, lastTradeDateOrContractMonth: '20270315', localSymbol: '6EH7', tradingClass: '6E', longName: 'Euro FX', initialPrice: 1.08, initialMargin: 2_600, maintenanceMargin: 2_400 },
];

function decimalsFor(tickSize: number): number {
  for (let d = 0; d <= 10; d++) {
    const scaled = tickSize * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return 10;
}

export interface ContractQuery {
  conId?: number;
  symbol?: string;
  secType?: string;
  lastTradeDateOrContractMonth?: string;
  exchange?: string;
  currency?: string;
  localSymbol?: string;
  tradingClass?: string;
}

/** The tradable universe; lookups follow TWS's matching (conId wins, else symbol/localSymbol plus filters). */
export class InstrumentCatalogue {
  readonly all: readonly Instrument[];
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly byConId = new Map<number, Instrument>();

  constructor(configs: readonly InstrumentConfig[]) {
    this.all = configs.map((config, index) => {
      const parsed = instrumentSchema.parse(config);
      const priceDecimals = decimalsFor(parsed.tickSize);
      return { ...parsed, index, priceDecimals, tickUnits: Math.round(parsed.tickSize * 10 ** priceDecimals) };
    });
    for (const instrument of this.all) {
      if (this.bySymbol.has(instrument.symbol)) throw new Error(`duplicate instrument symbol ${instrument.symbol}`);
      this.bySymbol.set(instrument.symbol, instrument);
      this.byConId.set(instrument.conId, instrument);
    }
  }

  bySymbolName(symbol: string): Instrument | undefined {
    return this.bySymbol.get(symbol);
  }

  /** All instruments matching a contract description (empty fields do not filter). */
  match(query: ContractQuery): Instrument[] {
    if (query.conId) {
      const byId = this.byConId.get(query.conId);
      return byId ? [byId] : [];
    }
    const secType = (query.secType ?? '').toUpperCase();
    if (secType !== '' && secType !== 'FUT' && secType !== 'CONTFUT') return [];
    return this.all.filter((i) => {
      if (query.symbol && query.symbol !== i.symbol) return false;
      if (query.localSymbol && query.localSymbol !== i.localSymbol) return false;
      if (!query.symbol && !query.localSymbol) return false;
      if (query.exchange && query.exchange !== 'SMART' && query.exchange !== i.exchange) return false;
      if (query.currency && query.currency !== i.currency) return false;
      if (query.tradingClass && query.tradingClass !== i.tradingClass) return false;
      const month = query.lastTradeDateOrContractMonth;
      if (month && !i.lastTradeDateOrContractMonth.startsWith(month)) return false;
      return true;
    });
  }

  /** Exactly one instrument for an order or market-data request, or undefined (ambiguous or unknown). */
  resolve(query: ContractQuery): Instrument | undefined {
    const matches = this.match(query);
    return matches.length === 1 ? matches[0] : undefined;
  }
}
