import { type Account, marketValue } from '../../broker/accounts.ts';
import { ERR, MSG } from '../../protocol/errorCodes.ts';
import type { FieldReader } from '../../protocol/fieldReader.ts';
import { parsePnlRequest, parsePnlSingleRequest, parseUnversionedCancel } from '../../protocol/incoming/startupRequests.ts';
import { type PnlFigures, writePnl, writePnlSingle } from '../../protocol/outgoing/pnl.ts';
import type { SimContext } from '../context.ts';
import type { Session } from '../session.ts';
import type { PnlSubscription } from './accountStreams.ts';

/**
 * reqPnL / reqPnLSingle: the first figures at once, then an update whenever they change (after a
 * fill or a price step). The simulator's trading day starts with the simulator, so daily P&L is
 * everything since then: for the account, net liquidation minus the starting cash (commissions
 * included); for a position, its unrealized plus realized P&L.
 */
export function handleReqPnl(session: Session, ctx: SimContext, r: FieldReader): void {
  const { reqId, account: requested } = parsePnlRequest(r);
  const account = resolveAccount(ctx, requested);
  if (!account) return invalidAccount(session, reqId, 'reqPnL', requested);
  subscribe(session, ctx, reqId, account.id, undefined);
}

export function handleReqPnlSingle(session: Session, ctx: SimContext, r: FieldReader): void {
  const { reqId, account: requested, conId } = parsePnlSingleRequest(r);
  const account = resolveAccount(ctx, requested);
  if (!account) return invalidAccount(session, reqId, 'reqPnLSingle', requested);
  if (!ctx.catalogue.match({ conId }).length) return session.sendError(reqId, ERR.NO_SECURITY_DEFINITION, MSG.noSecurityDefinition);
  subscribe(session, ctx, reqId, account.id, conId);
}

/** cancelPnL and cancelPnLSingle share one layout (reqId) and one subscription map. */
export function handleCancelPnl(session: Session, r: FieldReader): void {
  session.accountStreams.pnl.delete(parseUnversionedCancel(r).reqId);
}

/** Writes every PnL subscription whose figures changed; cheap when nobody subscribed. */
export function pushPnlUpdates(ctx: SimContext): void {
  for (const session of ctx.readySessions.values()) {
    if (session.accountStreams.pnl.size === 0 || session.state !== 'ready') continue;
    let wrote = false;
    for (const [reqId, sub] of session.accountStreams.pnl) wrote = writeIfChanged(session, ctx, reqId, sub) || wrote;
    if (wrote) session.flushSoon();
  }
}

function subscribe(session: Session, ctx: SimContext, reqId: number, account: string, conId: number | undefined): void {
  const sub: PnlSubscription = { account, conId, lastDaily: NaN, lastUnrealized: NaN, lastRealized: NaN, lastPosition: NaN, lastValue: NaN };
  session.accountStreams.pnl.set(reqId, sub);
  writeIfChanged(session, ctx, reqId, sub);
}

const scratch: PnlFigures = { daily: 0, unrealized: 0, realized: 0 };

function writeIfChanged(session: Session, ctx: SimContext, reqId: number, sub: PnlSubscription): boolean {
  const account = ctx.broker.accounts.get(sub.account) as Account;
  let position = 0;
  let value = 0;
  if (sub.conId === undefined) {
    const daily = account.equity(ctx.feed) - startingCash(ctx, account);
    scratch.unrealized = cents(account.unrealizedPnl(ctx.feed));
    scratch.daily = cents(daily);
    scratch.realized = cents(daily - scratch.unrealized);
  } else {
    const p = account.positions.get(sub.conId);
    if (p) {
      const price = ctx.feed.price(p.instrument);
      position = p.qty;
      value = cents(marketValue(p.instrument, p.qty, price));
      scratch.unrealized = cents(marketValue(p.instrument, p.qty, price) - marketValue(p.instrument, p.qty, p.avgPrice));
      scratch.realized = cents(p.realizedPnl);
    } else {
      scratch.unrealized = 0;
      scratch.realized = 0;
    }
    scratch.daily = cents(scratch.unrealized + scratch.realized);
  }
  if (
    scratch.daily === sub.lastDaily &&
    scratch.unrealized === sub.lastUnrealized &&
    scratch.realized === sub.lastRealized &&
    position === sub.lastPosition &&
    value === sub.lastValue
  ) {
    return false;
  }
  sub.lastDaily = scratch.daily;
  sub.lastUnrealized = scratch.unrealized;
  sub.lastRealized = scratch.realized;
  sub.lastPosition = position;
  sub.lastValue = value;
  if (sub.conId === undefined) writePnl(session.out, session.serverVersion, reqId, scratch);
  else writePnlSingle(session.out, session.serverVersion, reqId, position, scratch, value);
  return true;
}

/** An empty account code means the default (first) account, as for orders. */
export function resolveAccount(ctx: SimContext, requested: string): Account | undefined {
  return ctx.broker.accounts.get(requested === '' ? ctx.broker.defaultAccount : requested);
}

export function invalidAccount(session: Session, reqId: number, request: string, account: string): void {
  session.sendError(reqId, ERR.ERROR_VALIDATING_REQUEST, MSG.errorValidatingRequest(request, `Invalid account code '${account}'`));
}

function startingCash(ctx: SimContext, account: Account): number {
  return ctx.config.accounts.find((a) => a.id === account.id)?.cash ?? account.cash;
}

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
