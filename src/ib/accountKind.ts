/** What kind of IB account a connection trades: its managed accounts say so. */
export type AccountKind = 'PAPER' | 'LIVE' | 'UNKNOWN';

/**
 * IB paper accounts start with `DU` (individual) or `DF` (advisor master); anything else is live.
 * One live account among them makes the connection live: an order could reach it.
 */
export function accountKind(accounts: readonly string[]): AccountKind {
  if (accounts.length === 0) return 'UNKNOWN';
  return accounts.every((account) => /^D[UF]/.test(account)) ? 'PAPER' : 'LIVE';
}

/** Why orders may not be sent to these accounts, or null: a live account needs the explicit opt-in. */
export function liveTradingRefusal(accounts: readonly string[], allowLive: boolean): string | null {
  if (allowLive || accountKind(accounts) !== 'LIVE') return null;
  return `the connected IB account is LIVE (${accounts.join(', ')}) and broker.allowLive is false: set TRADEWIRE_ALLOW_LIVE=1 to trade it`;
}
