import { type Account, avgCostOf, marketValue } from '../../broker/accounts.ts';
import type { Instrument } from '../../../instruments/instruments.ts';
import type { FieldReader } from '../../protocol/fieldReader.ts';
import { parseAccountSummaryRequest, parseAccountUpdatesRequest } from '../../protocol/incoming/dataRequests.ts';
import {
  writeAccountDownloadEnd,
  writeAccountSummary,
  writeAccountSummaryEnd,
  writeAccountUpdateTime,
  writeAccountValue,
  writePortfolioValue,
  writePosition,
  writePositionEnd,
} from '../../protocol/outgoing/account.ts';
import type { SimContext } from '../context.ts';
import type { Session } from '../session.ts';

/** Account figures under their TWS tag names (futures account: equity with loan = net liquidation). */
export function accountFigures(ctx: SimContext, account: Account): Record<string, number | string> {
  const equity = account.equity(ctx.feed);
  const margins = account.margins();
  let gross = 0;
  for (const p of account.positions.values()) gross += Math.abs(marketValue(p.instrument, p.qty, ctx.feed.price(p.instrument)));
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    AccountType: 'INDIVIDUAL',
    NetLiquidation: r2(equity),
    TotalCashValue: r2(account.cash),
    SettledCash: r2(account.cash),
    AccruedCash: 0,
    BuyingPower: r2(Math.max(0, equity - margins.initial) * 4),
    EquityWithLoanValue: r2(equity),
    GrossPositionValue: r2(gross),
    InitMarginReq: r2(margins.initial),
    MaintMarginReq: r2(margins.maintenance),
    FullInitMarginReq: r2(margins.initial),
    FullMaintMarginReq: r2(margins.maintenance),
    AvailableFunds: r2(equity - margins.initial),
    FullAvailableFunds: r2(equity - margins.initial),
    ExcessLiquidity: r2(equity - margins.maintenance),
    FullExcessLiquidity: r2(equity - margins.maintenance),
    Cushion: equity > 0 ? r2((equity - margins.maintenance) / equity) : 0,
    Leverage: equity > 0 ? r2(gross / equity) : 0,
    RealizedPnL: r2(account.realizedPnl),
    UnrealizedPnL: r2(account.unrealizedPnl(ctx.feed)),
  };
}

export function handleReqPositions(session: Session, ctx: SimContext): void {
  for (const account of ctx.broker.accounts.values()) {
    for (const p of account.positions.values()) writePosition(session.out, account.id, p.instrument, p.qty, avgCostOf(p));
  }
  writePositionEnd(session.out);
  session.positionsSubscribed = true;
}

export function handleCancelPositions(session: Session): void {
  session.positionsSubscribed = false;
}

export function handleReqAccountSummary(session: Session, ctx: SimContext, r: FieldReader): void {
  const { reqId, tags } = parseAccountSummaryRequest(r);
  const wanted = tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
  for (const account of ctx.broker.accounts.values()) {
    const figures = accountFigures(ctx, account);
    for (const tag of wanted) {
      const value = figures[tag];
      if (value === undefined) continue;
      writeAccountSummary(session.out, reqId, account.id, tag, String(value), currencyOf(tag, value, account));
    }
  }
  writeAccountSummaryEnd(session.out, reqId);
}

export function handleReqAccountUpdates(session: Session, ctx: SimContext, r: FieldReader): void {
  const { subscribe, account: requested } = parseAccountUpdatesRequest(r);
  if (!subscribe) {
    session.accountUpdatesFor = undefined;
    return;
  }
  const account = ctx.broker.accounts.get(requested || ctx.broker.defaultAccount);
  if (!account) return;
  session.accountUpdatesFor = account.id;
  writeAccountSnapshot(session, ctx, account);
  for (const p of account.positions.values()) writePortfolioLine(session, ctx, account, p.instrument);
  writeAccountUpdateTime(session.out, hhmm(ctx.clock.now()));
  writeAccountDownloadEnd(session.out, account.id);
}

/** After a fill: stream the change to position and account-update subscribers, as TWS does. */
export function pushAccountChange(ctx: SimContext, accountId: string, instrument: Instrument): void {
  const account = ctx.broker.accounts.get(accountId);
  if (!account) return;
  for (const session of ctx.readySessions.values()) {
    if (session.state !== 'ready') continue;
    let wrote = false;
    if (session.positionsSubscribed) {
      const p = account.positions.get(instrument.conId);
      if (p) writePosition(session.out, account.id, instrument, p.qty, avgCostOf(p));
      wrote = true;
    }
    if (session.accountUpdatesFor === account.id) {
      writeAccountSnapshot(session, ctx, account);
      writePortfolioLine(session, ctx, account, instrument);
      writeAccountUpdateTime(session.out, hhmm(ctx.clock.now()));
      wrote = true;
    }
    if (wrote) session.flushSoon();
  }
}

function writeAccountSnapshot(session: Session, ctx: SimContext, account: Account): void {
  writeAccountValue(session.out, 'AccountCode', account.id, '', account.id);
  writeAccountValue(session.out, 'Currency', account.currency, account.currency, account.id);
  for (const [key, value] of Object.entries(accountFigures(ctx, account))) {
    writeAccountValue(session.out, key, String(value), currencyOf(key, value, account), account.id);
  }
}

function writePortfolioLine(session: Session, ctx: SimContext, account: Account, instrument: Instrument): void {
  const p = account.positions.get(instrument.conId);
  if (!p) return;
  const price = ctx.feed.price(instrument);
  writePortfolioValue(session.out, {
    instrument,
    position: p.qty,
    marketPrice: price,
    marketValue: marketValue(instrument, p.qty, price),
    averageCost: avgCostOf(p),
    unrealizedPnl: marketValue(instrument, p.qty, price) - marketValue(instrument, p.qty, p.avgPrice),
    realizedPnl: p.realizedPnl,
    account: account.id,
  });
}

/** Money figures carry the account currency; ratios and text carry none, as in TWS. */
function currencyOf(tag: string, value: number | string, account: Account): string {
  return typeof value === 'number' && tag !== 'Cushion' && tag !== 'Leverage' ? account.currency : '';
}

function hhmm(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
