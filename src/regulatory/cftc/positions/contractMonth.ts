const MONTH_CODES = 'FGHJKMNQUVXZ';
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export interface ContractDescription {
  localSymbol: string;
  /** IB's `lastTradeDateOrContractMonth`, YYYYMM or YYYYMMDD. */
  lastTradeDateOrContractMonth: string;
}

/**
 * The delivery month of a future, `YYYYMM`. It is not the month of the last trading day: crude oil
 * CLG7 (February delivery) stops trading in January. So the month is read from the local symbol
 * (`CLG7`, `ZN   MAR 27`), and only when that has no month code from IB's contract month.
 */
export function contractMonthOf(contract: ContractDescription): string {
  const lastTrade = contract.lastTradeDateOrContractMonth;
  const lastTradeYear = Number(lastTrade.slice(0, 4));
  const local = contract.localSymbol.trim().toUpperCase();

  const coded = /([FGHJKMNQUVXZ])(\d{1,2})$/.exec(local);
  if (coded && local.length > coded[0].length) {
    const month = MONTH_CODES.indexOf(coded[1]!) + 1;
    const digits = coded[2]!;
    const modulus = 10 ** digits.length;
    // The delivery year is the first year ending in these digits that is not before the last trade year.
    let year = lastTradeYear - (lastTradeYear % modulus) + Number(digits);
    if (year < lastTradeYear) year += modulus;
    return `${year}${String(month).padStart(2, '0')}`;
  }
  const named = /\b([A-Z]{3})\s+(\d{2})$/.exec(local);
  if (named && MONTH_NAMES.includes(named[1]!)) {
    const month = MONTH_NAMES.indexOf(named[1]!) + 1;
    const year = lastTradeYear - (lastTradeYear % 100) + Number(named[2]);
    return `${year}${String(month).padStart(2, '0')}`;
  }
  if (!/^\d{6}(\d{2})?$/.test(lastTrade)) throw new Error(`lastTradeDateOrContractMonth '${lastTrade}' is not YYYYMM or YYYYMMDD`);
  return lastTrade.slice(0, 6);
}
