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
  /**
   * IB's contractMonth of that row, when it is not the last trade date's month (CL stops trading
   * the month before delivery). Default: the last trade date's month. Products the futures
   * calendar knows take every month's from the calendar.
   */
  contractMonth: z.string().regex(/^\d{6}$/).optional(),
  localSymbol: z.string().min(1),
  tradingClass: z.string().min(1),
  longName: z.string().default(''),
  timeZoneId: z.string().default('US/Central'),
  initialPrice: z.number().positive(),
  initialMargin: z.number().nonnegative(),
  maintenanceMargin: z.number().nonnegative(),
});

export type InstrumentConfig = z.input<typeof instrumentSchema>;
export type Instrument = Omit<z.output<typeof instrumentSchema>, 'contractMonth'> & {
  /** Index into the price feed's typed arrays. */
  index: number;
  /** Decimal places needed to print any multiple of the tick size exactly. */
  priceDecimals: number;
  /** The tick size in units of 10^-priceDecimals (an integer), for allocation-free price printing. */
  tickUnits: number;
  /** IB's contractMonth (YYYYMM): the delivery month, which for CL follows the month trading ends. */
  contractMonth: string;
  /** Exchange-local HH:MM trading ends on the last trade date ('' when the calendar does not know the product). */
  lastTradeTime: string;
};

/**
 * The default futures products with their real contract specs (margins are approximate). Each row
 * names one listed month and its real conId; the futures calendar lists the product's other months.
 */
export const DEFAULT_INSTRUMENTS: readonly InstrumentConfig[] = [
  { symbol: 'ES', conId: 637533641, exchange: 'CME', currency: 'USD', multiplier: 50, tickSize: 0.25, lastTradeDateOrContractMonth: '20270319', localSymbol: 'ESH7', tradingClass: 'ES', longName: 'E-mini S&P 500', initialPrice: 5900, initialMargin: 22_000, maintenanceMargin: 20_000 },
  { symbol: 'NQ', conId: 637533398, exchange: 'CME', currency: 'USD', multiplier: 20, tickSize: 0.25, lastTradeDateOrContractMonth: '20270319', localSymbol: 'NQH7', tradingClass: 'NQ', longName: 'E-mini Nasdaq-100', initialPrice: 20800, initialMargin: 31_000, maintenanceMargin: 28_000 },
  { symbol: 'ZN', conId: 815824221, exchange: 'CBOT', currency: 'USD', multiplier: 1000, tickSize: 0.015625, lastTradeDateOrContractMonth: '20270319', localSymbol: 'ZN   MAR 27', tradingClass: 'ZN', longName: '10-Year T-Note', initialPrice: 110.5, initialMargin: 2_200, maintenanceMargin: 2_000 },
  { symbol: 'ZB', conId: 815824235, exchange: 'CBOT', currency: 'USD', multiplier: 1000, tickSize: 0.03125, lastTradeDateOrContractMonth: '20270319', localSymbol: 'ZB   MAR 27', tradingClass: 'ZB', longName: 'US Treasury Bond', initialPrice: 117, initialMargin: 4_400, maintenanceMargin: 4_000 },
  { symbol: 'CL', conId: 212921504, exchange: 'NYMEX', currency: 'USD', multiplier: 1000, tickSize: 0.01, lastTradeDateOrContractMonth: '20270120', contractMonth: '202702', localSymbol: 'CLG7', tradingClass: 'CL', longName: 'Light Sweet Crude Oil', timeZoneId: 'US/Eastern', initialPrice: 70, initialMargin: 6_500, maintenanceMargin: 5_900 },
  { symbol: 'GC', conId: 693609539, exchange: 'COMEX', currency: 'USD', multiplier: 100, tickSize: 0.1, lastTradeDateOrContractMonth: '20270224', localSymbol: 'GCG7', tradingClass: 'GC', longName: 'Gold', timeZoneId: 'US/Eastern', initialPrice: 2650, initialMargin: 11_000, maintenanceMargin: 10_000 },
  { symbol: 'ZC', conId: 532513362, exchange: 'CBOT', currency: 'USD', multiplier: 5000, priceMagnifier: 100, tickSize: 0.25, lastTradeDateOrContractMonth: '20270312', localSymbol: 'ZC   MAR 27', tradingClass: 'ZC', longName: 'Corn', initialPrice: 430, initialMargin: 1_500, maintenanceMargin: 1_350 },
  { symbol: 'ZW', conId: 532513437, exchange: 'CBOT', currency: 'USD', multiplier: 5000, priceMagnifier: 100, tickSize: 0.25, lastTradeDateOrContractMonth: '20270312', localSymbol: 'ZW   MAR 27', tradingClass: 'ZW', longName: 'Chicago SRW Wheat', initialPrice: 550, initialMargin: 2_200, maintenanceMargin: 2_000 },
  { symbol: '6E', conId: 496647057, exchange: 'CME', currency: 'USD', multiplier: 125000, tickSize: 0.00005, lastTradeDateOrContractMonth: '20270315', localSymbol: '6EH7', tradingClass: '6E', longName: 'Euro FX', initialPrice: 1.08, initialMargin: 2_600, maintenanceMargin: 2_400 },
];
