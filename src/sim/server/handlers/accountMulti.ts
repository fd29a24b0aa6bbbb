import { type Account, avgCostOf } from '../../broker/accounts.ts';
import type { Instrument } from '../../../instruments/instruments.ts';
import type { FieldReader } from '../../protocol/fieldReader.ts';
import {
  parseAccountUpdatesMultiRequest,
  parsePositionsMultiRequest,
  parseVersionedCancel,
} from '../../protocol/incoming/startupRequests.ts';
import {
  writeAccountUpdateMulti,
  writeAccountUpdateMultiEnd,
  writePositionMulti,
  writePositionMultiEnd,
} from '../../protocol/outgoing/accountMulti.ts';
import type { SimContext } from '../context.ts';
import type { Session } from '../session.ts';
import { accountFigures, currencyOf, ledgerFigures } from './account.ts';
import type { AccountMultiSubscription } from './accountStreams.ts';
import { invalidAccount } from './pnl.ts';

/**
 * reqAccountUpdatesMulti: every value of the account (ledgerAndNLV: only net liquidation and the
 * cash-balance tags), then the end marker; after that the values again on every fill in that
 * account until cancelled. An empty account or "All" means every managed account.
 */
export function handleReqAccountUpdatesMulti(session: Session, ctx: SimContext, r: FieldReader): void {
  const { reqId, account: requested, modelCode, ledgerAndNLV } = parseAccountUpdatesMultiRequest(r);
  const accounts = accountsFor(ctx, requested);
  if (!accounts) return invalidAccount(session, reqId, 'reqAccountUpdatesMulti', requested);
  const sub: AccountMultiSubscription = { account: isAll(requested) ? undefined : requested, modelCode, ledgerAndNLV };
  for (const account of accounts) writeAccountValues(session, ctx, reqId, sub, account);
  writeAccountUpdateMultiEnd(session.out, reqId);
  session.accountStreams.accountMulti.set(reqId, sub);
}

export function handleCancelAccountUpdatesMulti(session: Session, r: FieldReader): void {
  session.accountStreams.accountMulti.delete(parseVersionedCancel(r).reqId);
}

/** reqPositionsMulti: the account's positions, the end marker, then each position change until cancelled. */
export function handleReqPositionsMulti(session: Session, ctx: SimContext, r: FieldReader): void {
  const { reqId, account: requested, modelCode } = parsePositionsMultiRequest(r);
  const accounts = accountsFor(ctx, requested);
  if (!accounts) return invalidAccount(session, reqId, 'reqPositionsMulti', requested);
  for (const account of accounts) {
    for (const p of account.positions.values()) writePositionMulti(session.out, reqId, account.id, p.instrument, p.qty, avgCostOf(p), modelCode);
  }
  writePositionMultiEnd(session.out, reqId);
  session.accountStreams.positionsMulti.set(reqId, { account: isAll(requested) ? undefined : requested, modelCode });
}

export function handleCancelPositionsMulti(session: Session, r: FieldReader): void {
  session.accountStreams.positionsMulti.delete(parseVersionedCancel(r).reqId);
}

/** After a fill in `account`: the changed position and the account's values to their subscribers. */
export function pushMultiStreams(ctx: SimContext, account: Account, instrument: Instrument): void {
  for (const session of ctx.readySessions.values()) {
    const streams = session.accountStreams;
    if (session.state !== 'ready' || (streams.accountMulti.size === 0 && streams.positionsMulti.size === 0)) continue;
    let wrote = false;
    for (const [reqId, sub] of streams.accountMulti) {
      if (sub.account !== undefined && sub.account !== account.id) continue;
      writeAccountValues(session, ctx, reqId, sub, account);
      wrote = true;
    }
    const p = account.positions.get(instrument.conId);
    for (const [reqId, sub] of streams.positionsMulti) {
      if (!p || (sub.account !== undefined && sub.account !== account.id)) continue;
      writePositionMulti(session.out, reqId, account.id, instrument, p.qty, avgCostOf(p), sub.modelCode);
      wrote = true;
    }
    if (wrote) session.flushSoon();
  }
}

function writeAccountValues(session: Session, ctx: SimContext, reqId: number, sub: AccountMultiSubscription, account: Account): void {
  const write = (key: string, value: string, currency: string) =>
    writeAccountUpdateMulti(session.out, reqId, account.id, sub.modelCode, key, value, currency);
  const figures = accountFigures(ctx, account);
  if (sub.ledgerAndNLV) {
    write('NetLiquidation', String(figures.NetLiquidation), account.currency);
  } else {
    write('AccountCode', account.id, '');
    write('Currency', account.currency, account.currency);
    for (const [key, value] of Object.entries(figures)) write(key, String(value), currencyOf(key, value, account));
  }
  for (const label of ['BASE', account.currency]) {
    for (const [key, value] of Object.entries(ledgerFigures(ctx, account, label))) write(key, String(value), label);
  }
}

function isAll(account: string): boolean {
  return account === '' || account.toLowerCase() === 'all';
}

function accountsFor(ctx: SimContext, requested: string): Account[] | undefined {
  if (isAll(requested)) return [...ctx.broker.accounts.values()];
  const account = ctx.broker.accounts.get(requested);
  return account ? [account] : undefined;
}
