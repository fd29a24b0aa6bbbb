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
import { ERR, MSG } from '../../protocol/errorCodes.ts';
import type { SimContext } from '../context.ts';
import { pushMultiStreams } from './accountMulti.ts';
import { pushPnlUpdates } from './pnl.ts';
import type { Session } from '../session.ts';

/**
 * Account figures under their TWS tag names: the account-summary tag set IB documents (futures
 * account: equity with loan = net liquidation; no securities, so RegT margin is 0 and SMA is the cash).
 * The simulator's trading day starts with the simulator, so the previous day's equity is the starting cash.
 */
export function accountFigures(ctx: SimContext, account: Account): Record<string, number | string> {
  const equity = account.equity(ctx.feed);
  const margins = account.margins();
  let gross = 0;
  for (const p of account.positions.values()) gross += Math.abs(marketValue(p.instrument, p.qty, ctx.feed.price(p.instrument)));
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const startingCash = ctx.config.accounts.find((a) => a.id === account.id)?.cash ?? account.cash;
  return {
    AccountType: 'INDIVIDUAL',
    NetLiquidation: r2(equity),
    TotalCashValue: r2(account.cash),
    SettledCash: r2(account.cash),
    AccruedCash: 0,
    BuyingPower: r2(Math.max(0, equity - margins.initial) * 4),
    EquityWithLoanValue: r2(equity),
    PreviousDayEquityWithLoanValue: r2(startingCash),
    GrossPositionValue: r2(gross),
    RegTEquity: r2(account.cash),
    RegTMargin: 0,
    SMA: r2(account.cash),
    InitMarginReq: r2(margins.initial),
    MaintMarginReq: r2(margins.maintenance),
    AvailableFunds: r2(equity - margins.initial),
    ExcessLiquidity: r2(equity - margins.maintenance),
    Cushion: equity > 0 ? r2((equity - margins.maintenance) / equity) : 0,
    FullInitMarginReq: r2(margins.initial),
    FullMaintMarginReq: r2(margins.maintenance),
    FullAvailableFunds: r2(equity - margins.initial),
    FullExcessLiquidity: r2(equity - margins.maintenance),
    // No margin change is scheduled: look-ahead figures equal today's, next change 0 (none).
    LookAheadNextChange: 0,
    LookAheadInitMarginReq: r2(margins.initial),
    LookAheadMaintMarginReq: r2(margins.maintenance),
    LookAheadAvailableFunds: r2(equity - margins.initial),
    LookAheadExcessLiquidity: r2(equity - margins.maintenance),
    HighestSeverity: 0,
    // -1: unlimited (the pattern-day-trader limit does not apply above 25,000).
    DayTradesRemaining: -1,
    Leverage: equity > 0 ? r2(gross / equity) : 0,
    RealizedPnL: r2(account.realizedPnl),
    UnrealizedPnL: r2(account.unrealizedPnl(ctx.feed)),
  };
}

/**
 * The cash-balance ("ledger") tags IB relays for $LEDGER requests, in the account's one currency
 * (the simulator keeps a single-currency ledger, so BASE and that currency carry the same figures).
 */
export function ledgerFigures(ctx: SimContext, account: Account, currencyLabel: string): Record<string, number | string> {
  const r2 = (v: number) => Math.round(v * 100) / 100;
  const unrealized = r2(account.unrealizedPnl(ctx.feed));
  return {
    CashBalance: r2(account.cash),
    TotalCashBalance: r2(account.cash),
    AccruedCash: 0,
    StockMarketValue: 0,
    OptionMarketValue: 0,
    FutureOptionValue: 0,
    FuturesPNL: unrealized,
    NetLiquidationByCurrency: r2(account.equity(ctx.feed)),
    UnrealizedPnL: unrealized,
    RealizedPnL: r2(account.realizedPnl),
    ExchangeRate: 1,
    FundValue: 0,
    NetDividend: 0,
    MutualFundValue: 0,
    MoneyMarketFundValue: 0,
    CorporateBondValue: 0,
    TBondValue: 0,
    TBillValue: 0,
    WarrantValue: 0,
    FxCashBalance: 0,
    IssuerOptionValue: 0,
    AccountOrGroup: account.id,
    RealCurrency: currencyLabel,
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

/**
 * reqAccountSummary: the requested tags for every account in the group ("All" is the only group a
 * non-FA login has), then the end marker. "$LEDGER" adds the cash-balance tags in the base currency,
 * "$LEDGER:ALL" for BASE and every currency held, "$LEDGER:<ccy>" for that currency only.
 */
export function handleReqAccountSummary(session: Session, ctx: SimContext, r: FieldReader): void {
  const { reqId, group, tags } = parseAccountSummaryRequest(r);
  if (group.trim().toLowerCase() !== 'all') {
    return session.sendError(reqId, ERR.ERROR_VALIDATING_REQUEST, MSG.errorValidatingRequest('reqAccountSummary', `Invalid group '${group}'`));
  }
  const wanted = tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
  for (const account of ctx.broker.accounts.values()) {
    const figures = accountFigures(ctx, account);
    for (const tag of wanted) {
      if (tag.toUpperCase().startsWith('$LEDGER')) {
        for (const label of ledgerCurrencies(tag, account)) {
          for (const [key, value] of Object.entries(ledgerFigures(ctx, account, label))) {
            writeAccountSummary(session.out, reqId, account.id, key, String(value), label);
          }
        }
        continue;
      }
      const value = figures[tag];
      if (value === undefined) continue;
      writeAccountSummary(session.out, reqId, account.id, tag, String(value), currencyOf(tag, value, account));
    }
  }
  writeAccountSummaryEnd(session.out, reqId);
}

/** Currency labels a $LEDGER tag asks for: base only, BASE plus each currency, or one named currency. */
function ledgerCurrencies(tag: string, account: Account): string[] {
  const suffix = tag.slice('$LEDGER'.length).replace(/^:/, '').toUpperCase();
  if (suffix === '') return [account.currency];
  if (suffix === 'ALL') return ['BASE', account.currency];
  return suffix === account.currency.toUpperCase() || suffix === 'BASE' ? [suffix] : [];
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
  pushMultiStreams(ctx, account, instrument);
  pushPnlUpdates(ctx);
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

/** Tags that are counts, ratios, times or severities rather than money. */
const NOT_MONEY = new Set(['Cushion', 'Leverage', 'LookAheadNextChange', 'HighestSeverity', 'DayTradesRemaining']);

/** Money figures carry the account currency; ratios and text carry none, as in TWS. */
export function currencyOf(tag: string, value: number | string, account: Account): string {
  return typeof value === 'number' && !NOT_MONEY.has(tag) ? account.currency : '';
}

function hhmm(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}
