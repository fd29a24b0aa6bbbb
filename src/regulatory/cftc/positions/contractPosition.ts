/**
 * A net position of one account in one future: 17 CFR 17.00(d) has positions reported "net long or
 * short in each future of a commodity", and a future is one contract month of one instrument.
 */
export interface ContractPosition {
  account: string;
  /** tradewire instrument symbol (ES, ZN, ...), mapped to its contract market by the instrument map. */
  symbol: string;
  /** Delivery year and month, `YYYYMM` (17.00(g)(2)(viii) reports "a delivery year and month for a futures contract"). */
  contractMonth: string;
  /** Signed contracts: positive long, negative short. */
  net: number;
}

export const CONTRACT_MONTH = /^\d{4}(0[1-9]|1[0-2])$/;

export function positionKey(position: Pick<ContractPosition, 'account' | 'symbol' | 'contractMonth'>): string {
  return `${position.account}|${position.symbol}|${position.contractMonth}`;
}

export function longOf(position: ContractPosition): number {
  return Math.max(position.net, 0);
}

export function shortOf(position: ContractPosition): number {
  return Math.max(-position.net, 0);
}

/** A stable order so that the same positions always render the same file. */
export function comparePositions(a: ContractPosition, b: ContractPosition): number {
  return a.account.localeCompare(b.account) || a.symbol.localeCompare(b.symbol) || a.contractMonth.localeCompare(b.contractMonth);
}
