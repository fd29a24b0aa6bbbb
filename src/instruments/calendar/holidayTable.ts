/**
 * CME Group holidays, as data. Sources: CME Group Holiday Calendar
 * (https://www.cmegroup.com/tools-information/holiday-calendar.html, and the per-holiday CME Globex
 * trading-hours pages it links), the 2026 CME Globex schedule as republished by EdgeClear
 * (https://edgeclear.com/exchange-holiday-hours/: MLK 2026 — interest rates and equities halt
 * 12:00 CT, energy and metals 13:30 CT, FX 16:00 CT, grains closed and reopen 19:00 CT), and CME's
 * Thanksgiving notices (2024: equity, interest rate, NYMEX and COMEX products halt 12:00 CT).
 * CME publishes each year's exact hours only weeks ahead; rows for years past the table are
 * projected from the same rules (`holidayRules.ts`) and are an approximation until published.
 *
 * Times are the product's own exchange clock: CT for CME/CBOT groups, ET for NYMEX/COMEX.
 */

/** Products that share a holiday schedule on CME Globex. */
export type SessionGroup = 'equity' | 'rates' | 'fx' | 'energy' | 'metals' | 'grains';

/**
 * One trade date's hours on a holiday: closed, or the regular sessions clipped — `closeAt` ends the
 * trade date early (the holiday halt), `openAt` starts it late (no overnight session before it).
 */
export type DayHours = 'closed' | { readonly openAt?: string; readonly closeAt?: string };

export interface HolidayTreatment {
  /**
   * False for an exchange holiday: no settlement, trades on a halted session belong to the next
   * trade date, and rulebook business-day counts skip it. True for an early close (day after
   * Thanksgiving, Christmas Eve): shortened, but a full business day.
   */
  readonly businessDay: boolean;
  readonly hours: Readonly<Record<SessionGroup, DayHours>>;
}

const CLOSED_ALL: HolidayTreatment['hours'] = { equity: 'closed', rates: 'closed', fx: 'closed', energy: 'closed', metals: 'closed', grains: 'closed' };

export const HOLIDAY_TREATMENTS = {
  /** New Year's Day, Good Friday, Christmas: CME Globex closed for every product here. */
  closed: { businessDay: false, hours: CLOSED_ALL },
  /**
   * MLK, Presidents, Memorial, Juneteenth, Independence (observed), Labor Day: Globex trades a
   * shortened holiday session (per the 2026 MLK schedule); CBOT grains stay shut all day.
   */
  federalHalt: {
    businessDay: false,
    hours: { equity: { closeAt: '12:00' }, rates: { closeAt: '12:00' }, fx: { closeAt: '16:00' }, energy: { closeAt: '14:30' }, metals: { closeAt: '14:30' }, grains: 'closed' },
  },
  /** Thanksgiving Day: every Globex group halts at 12:00 CT (13:00 ET); grains closed. */
  thanksgiving: {
    businessDay: false,
    hours: { equity: { closeAt: '12:00' }, rates: { closeAt: '12:00' }, fx: { closeAt: '12:00' }, energy: { closeAt: '13:00' }, metals: { closeAt: '13:00' }, grains: 'closed' },
  },
  /** Day after Thanksgiving: early close; grains skip the Thursday night session and open 08:30 CT. */
  dayAfterThanksgiving: {
    businessDay: true,
    hours: { equity: { closeAt: '12:15' }, rates: { closeAt: '12:00' }, fx: { closeAt: '12:15' }, energy: { closeAt: '13:45' }, metals: { closeAt: '13:45' }, grains: { openAt: '08:30', closeAt: '12:05' } },
  },
  /** Christmas Eve when Christmas falls on a weekday after it: early close. */
  christmasEve: {
    businessDay: true,
    hours: { equity: { closeAt: '12:15' }, rates: { closeAt: '12:00' }, fx: { closeAt: '12:15' }, energy: { closeAt: '13:45' }, metals: { closeAt: '13:45' }, grains: { closeAt: '12:05' } },
  },
} as const satisfies Record<string, HolidayTreatment>;

export type HolidayTreatmentName = keyof typeof HOLIDAY_TREATMENTS;

export interface HolidayRow {
  /** 'YYYYMMDD', the trade date affected */
  readonly date: string;
  readonly name: string;
  readonly treatment: HolidayTreatmentName;
}

/**
 * 2026–2027 as CME Group observes them. A Saturday holiday is observed the Friday before, a Sunday
 * one the Monday after (Independence Day 2026 on Fri 3 July, 2027 on Mon 5 July; Juneteenth 2027
 * on Fri 18 June; Christmas 2027 on Fri 24 December). Not modelled: Good Friday 2026 coincides
 * with the March payrolls release, when CME has in past years (2021) opened equity and rate
 * futures for a short morning session; it is modelled fully closed until CME publishes otherwise.
 */
export const CME_HOLIDAYS_2026_2027: readonly HolidayRow[] = [
  { date: '20260101', name: "New Year's Day", treatment: 'closed' },
  { date: '20260119', name: 'Martin Luther King Jr. Day', treatment: 'federalHalt' },
  { date: '20260216', name: "Presidents' Day", treatment: 'federalHalt' },
  { date: '20260403', name: 'Good Friday', treatment: 'closed' },
  { date: '20260525', name: 'Memorial Day', treatment: 'federalHalt' },
  { date: '20260619', name: 'Juneteenth', treatment: 'federalHalt' },
  { date: '20260703', name: 'Independence Day (observed)', treatment: 'federalHalt' },
  { date: '20260907', name: 'Labor Day', treatment: 'federalHalt' },
  { date: '20261126', name: 'Thanksgiving Day', treatment: 'thanksgiving' },
  { date: '20261127', name: 'Day after Thanksgiving', treatment: 'dayAfterThanksgiving' },
  { date: '20261224', name: 'Christmas Eve', treatment: 'christmasEve' },
  { date: '20261225', name: 'Christmas Day', treatment: 'closed' },
  { date: '20270101', name: "New Year's Day", treatment: 'closed' },
  { date: '20270118', name: 'Martin Luther King Jr. Day', treatment: 'federalHalt' },
  { date: '20270215', name: "Presidents' Day", treatment: 'federalHalt' },
  { date: '20270326', name: 'Good Friday', treatment: 'closed' },
  { date: '20270531', name: 'Memorial Day', treatment: 'federalHalt' },
  { date: '20270618', name: 'Juneteenth (observed)', treatment: 'federalHalt' },
  { date: '20270705', name: 'Independence Day (observed)', treatment: 'federalHalt' },
  { date: '20270906', name: 'Labor Day', treatment: 'federalHalt' },
  { date: '20271125', name: 'Thanksgiving Day', treatment: 'thanksgiving' },
  { date: '20271126', name: 'Day after Thanksgiving', treatment: 'dayAfterThanksgiving' },
  { date: '20271224', name: 'Christmas Day (observed)', treatment: 'closed' },
];

/** Years the table above is authoritative for; other years are projected by rule. */
export const TABLE_YEARS: readonly number[] = [2026, 2027];
