/** An account-updates-multi subscription; account undefined means every managed account. */
export interface AccountMultiSubscription {
  account: string | undefined;
  modelCode: string;
  ledgerAndNLV: boolean;
}

/** A positions-multi subscription; account undefined means every managed account. */
export interface PositionMultiSubscription {
  account: string | undefined;
  modelCode: string;
}

/**
 * A reqPnL (conId undefined) or reqPnLSingle subscription, with the figures last sent so an
 * update goes out only when one of them changed (prices step many times a second).
 */
export interface PnlSubscription {
  account: string;
  conId: number | undefined;
  lastDaily: number;
  lastUnrealized: number;
  lastRealized: number;
  lastPosition: number;
  lastValue: number;
}

/** One session's account-data streams, by request id. Cleared when the session closes. */
export class AccountStreams {
  readonly accountMulti = new Map<number, AccountMultiSubscription>();
  readonly positionsMulti = new Map<number, PositionMultiSubscription>();
  readonly pnl = new Map<number, PnlSubscription>();

  clear(): void {
    this.accountMulti.clear();
    this.positionsMulti.clear();
    this.pnl.clear();
  }
}
