import { type PriceFeed, roundToTick } from '../market/priceFeed.ts';
import { ERR, MSG } from '../protocol/errorCodes.ts';
import { Account, type AccountConfig } from './accounts.ts';
import { ExecutionsLedger } from './ledger.ts';
import { createOrder, fillPriceTicks, validatePrices } from './matching.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Instrument } from '../../instruments/instruments.ts';
import {
  type Execution,
  type MarginFigures,
  type OrderRequest,
  type SimOrder,
  isDone,
} from './types.ts';

export interface BrokerOptions {
  slippageTicks: number;
  partialFills: { enabled: boolean; maxQtyPerFill: number };
  commissionPerContract: number;
  /** First part of every execId, so ids from different simulator instances do not collide. */
  execIdPrefix: string;
  /** Whether the instrument's market is in session; outside it orders rest and nothing trades. Default: always. */
  isOpen?: (instrument: Instrument) => boolean;
}

/** What became of a placeOrder: intent says whether it reached one of this client's working orders. */
export type PlaceOutcome =
  | { accepted: true; intent: 'new' | 'modify'; order: SimOrder }
  | { accepted: false; intent: 'new' | 'modify'; code: number; message: string; order?: SimOrder };

/** What became of a cancelOrder; a refused one names the order only when the client owns it (10148). */
export type CancelOutcome = { accepted: true; order: SimOrder } | { accepted: false; code: number; message: string; order?: SimOrder };

/** What the broker tells the outside world; the simulator turns these into TWS messages. */
export interface BrokerListener {
  orderSubmitted(order: SimOrder): void;
  orderFilled(order: SimOrder, execution: Execution): void;
  orderCancelled(order: SimOrder): void;
  orderRejected(clientId: number, orderId: number, code: number, message: string): void;
  whatIfAnswered(order: SimOrder, margins: MarginFigures): void;
}

/**
 * Orders, matching and the book of record. Order ids are namespaced by client id as in TWS;
 * everything here survives session resets (the "restart" fault), because it is the broker's truth.
 */
export class Broker {
  readonly accounts: ReadonlyMap<string, Account>;
  readonly defaultAccount: string;
  /** While halted (lost connectivity) orders are accepted but nothing trades. */
  halted = false;
  /** Orders by client id, then order id (TWS order ids are per client). */
  private readonly orders = new Map<number, Map<number, SimOrder>>();
  private readonly working = new Set<SimOrder>();
  /**
   * Per client id, the highest order id it used or was shown (another client's order reported
   * to it by reqAllOpenOrders or as the master client): IB requires new ids above it.
   */
  private readonly lastOrderId = new Map<number, number>();
  private nextPermId = 1_000_001;
  private execCounter = 0;
  private rejectBudget = 0;
  private listener: BrokerListener | undefined;

  constructor(
    private readonly feed: PriceFeed,
    accounts: readonly AccountConfig[],
    private readonly options: BrokerOptions,
    private readonly clock: Clock,
    /** Where executions are recorded; the simulator passes its combined ledger. */
    readonly ledger: ExecutionsLedger = new ExecutionsLedger(),
  ) {
    if (accounts.length === 0) throw new Error('at least one account is required');
    this.accounts = new Map(accounts.map((a) => [a.id, new Account(a)]));
    this.defaultAccount = (accounts[0] as AccountConfig).id;
  }

  setListener(listener: BrokerListener): void {
    this.listener = listener;
  }

  nextValidId(clientId: number): number {
    return (this.lastOrderId.get(clientId) ?? 0) + 1;
  }

  /**
   * This client was shown another client's order: IB's order-submission rules say its new order
   * ids must then be greater, so a lower unused id is a duplicate (103) and nextValidId moves past it.
   */
  noteIdShown(clientId: number, orderId: number): void {
    if (orderId > (this.lastOrderId.get(clientId) ?? 0)) this.lastOrderId.set(clientId, orderId);
  }

  rejectNextOrders(count: number): void {
    this.rejectBudget = count;
  }

  order(clientId: number, orderId: number): SimOrder | undefined {
    return this.orders.get(clientId)?.get(orderId);
  }

  /** Working orders, optionally only one client's. */
  openOrders(clientId?: number): SimOrder[] {
    return [...this.working].filter((o) => clientId === undefined || o.clientId === clientId);
  }

  allOrders(): SimOrder[] {
    return [...this.orders.values()].flatMap((byId) => [...byId.values()]);
  }

  place(request: OrderRequest): PlaceOutcome {
    const existing = this.order(request.clientId, request.orderId);
    if (existing && !isDone(existing) && !request.whatIf) return this.modify(existing, request);
    if (existing || request.orderId <= (this.lastOrderId.get(request.clientId) ?? 0)) {
      return this.reject(request, ERR.DUPLICATE_ORDER_ID, MSG.duplicateOrderId);
    }
    this.lastOrderId.set(request.clientId, request.orderId);

    if (this.rejectBudget > 0) {
      this.rejectBudget--;
      return this.reject(request, ERR.ORDER_REJECTED, MSG.orderRejected('Simulated rejection (fault injection)'));
    }
    const account = this.accounts.get(request.account || this.defaultAccount);
    if (!account) return this.reject(request, ERR.ORDER_REJECTED, MSG.orderRejected(`Invalid account code ${request.account}`));
    const problem = validatePrices(request);
    if (problem) return this.reject(request, ERR.ORDER_REJECTED, MSG.orderRejected(problem));

    const order = createOrder(request, account.id, this.nextPermId++);
    const margins = this.marginFigures(account, order);
    if (request.whatIf) {
      order.status = 'PreSubmitted';
      this.listener?.whatIfAnswered(order, margins);
      return { accepted: true, intent: 'new', order };
    }
    const increasesRisk = margins.initMarginAfter > margins.initMarginBefore;
    if (increasesRisk && margins.initMarginAfter > margins.equityWithLoanBefore) {
      return this.reject(
        request,
        ERR.ORDER_REJECTED,
        MSG.orderRejected(
          `YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [${money(
            margins.equityWithLoanBefore,
            account.currency,
          )}] MUST EXCEED THE INITIAL MARGIN [${money(margins.initMarginAfter, account.currency)}]`,
        ),
      );
    }

    let byId = this.orders.get(order.clientId);
    if (!byId) this.orders.set(order.clientId, (byId = new Map()));
    byId.set(order.orderId, order);
    this.working.add(order);
    this.listener?.orderSubmitted(order);
    if (!this.halted) this.matchOrder(order);
    if (order.tif === 'IOC' && !isDone(order)) this.cancelOrder(order);
    return { accepted: true, intent: 'new', order };
  }

  /**
   * A request that never reaches the book, but whose id is used up: 201 with the reason (unsupported
   * type), or 200 with IB's own text for a contract it cannot find.
   */
  rejectInvalid(clientId: number, orderId: number, reason: string, code: number = ERR.ORDER_REJECTED): PlaceOutcome {
    const existing = this.order(clientId, orderId);
    const intent = existing && !isDone(existing) ? 'modify' : 'new';
    if (orderId > (this.lastOrderId.get(clientId) ?? 0)) this.lastOrderId.set(clientId, orderId);
    const message = code === ERR.ORDER_REJECTED ? MSG.orderRejected(reason) : reason;
    this.listener?.orderRejected(clientId, orderId, code, message);
    return { accepted: false, intent, code, message, ...(existing ? { order: existing } : {}) };
  }

  /** Only the client id that placed an order can cancel it: anyone else's id is simply not found (10147). */
  cancel(clientId: number, orderId: number): CancelOutcome {
    const order = this.order(clientId, orderId);
    if (!order) {
      const message = MSG.orderNotFound(orderId);
      this.listener?.orderRejected(clientId, orderId, ERR.ORDER_TO_CANCEL_NOT_FOUND, message);
      return { accepted: false, code: ERR.ORDER_TO_CANCEL_NOT_FOUND, message };
    }
    if (isDone(order)) {
      const message = MSG.orderCannotBeCancelled(orderId, order.status);
      this.listener?.orderRejected(clientId, orderId, ERR.ORDER_CANNOT_BE_CANCELLED, message);
      return { accepted: false, code: ERR.ORDER_CANNOT_BE_CANCELLED, message, order };
    }
    this.cancelOrder(order);
    return { accepted: true, order };
  }

  /** Cancels every working order, whichever client placed it; returns them. */
  globalCancel(): SimOrder[] {
    const cancelled = [...this.working];
    for (const order of cancelled) this.cancelOrder(order);
    return cancelled;
  }

  /** Cancels the working orders the predicate picks (session end, contract expiry). */
  cancelWhere(predicate: (order: SimOrder) => boolean): void {
    for (const order of [...this.working]) if (predicate(order)) this.cancelOrder(order);
  }

  /** One matching pass over the book, e.g. after prices moved. */
  matchAll(): void {
    if (this.halted || this.working.size === 0) return;
    for (const order of [...this.working]) if (this.working.has(order)) this.matchOrder(order);
  }

  marginFigures(account: Account, order: Pick<SimOrder, 'instrument' | 'action' | 'totalQuantity'>): MarginFigures {
    const before = account.margins();
    const signed = order.action === 'BUY' ? order.totalQuantity : -order.totalQuantity;
    const after = account.margins({ instrument: order.instrument, qty: account.position(order.instrument) + signed });
    const equity = account.equity(this.feed);
    const commission = order.totalQuantity * this.options.commissionPerContract;
    return {
      initMarginBefore: before.initial,
      maintMarginBefore: before.maintenance,
      equityWithLoanBefore: equity,
      initMarginAfter: after.initial,
      maintMarginAfter: after.maintenance,
      equityWithLoanAfter: equity - commission,
      commission,
    };
  }

  private modify(order: SimOrder, request: OrderRequest): PlaceOutcome {
    if (request.totalQuantity < order.filled) {
      return this.reject(request, ERR.ORDER_REJECTED, MSG.orderRejected('Quantity below the filled quantity'), order);
    }
    const problem = validatePrices(request);
    if (problem) return this.reject(request, ERR.ORDER_REJECTED, MSG.orderRejected(problem), order);
    order.totalQuantity = request.totalQuantity;
    order.lmtPrice = request.lmtPrice;
    order.auxPrice = request.auxPrice;
    order.tif = request.tif;
    order.orderRef = request.orderRef;
    order.resting = false;
    if (order.filled >= order.totalQuantity) {
      // Reduced to what has already traded: nothing is left working.
      order.status = 'Filled';
      this.working.delete(order);
    }
    this.listener?.orderSubmitted(order);
    if (!this.halted && !isDone(order)) this.matchOrder(order);
    return { accepted: true, intent: 'modify', order };
  }

  /** `modifying` is the working order a refused modification left untouched. */
  private reject(request: OrderRequest, code: number, message: string, modifying?: SimOrder): PlaceOutcome {
    this.listener?.orderRejected(request.clientId, request.orderId, code, message);
    return modifying ? { accepted: false, intent: 'modify', code, message, order: modifying } : { accepted: false, intent: 'new', code, message };
  }

  private cancelOrder(order: SimOrder): void {
    order.status = 'Cancelled';
    this.working.delete(order);
    this.listener?.orderCancelled(order);
  }

  private matchOrder(order: SimOrder): void {
    const i = order.instrument;
    if (this.options.isOpen && !this.options.isOpen(i)) return;
    const fillTicks = fillPriceTicks(order, this.feed.priceTicks(i.index), this.options.slippageTicks);
    if (fillTicks === undefined) return;
    const remaining = order.totalQuantity - order.filled;
    const chunk = this.options.partialFills.enabled ? this.options.partialFills.maxQtyPerFill : remaining;
    this.execute(order, Math.min(remaining, chunk), roundToTick(fillTicks * i.tickSize, i));
  }

  private execute(order: SimOrder, qty: number, price: number): void {
    const account = this.accounts.get(order.account) as Account;
    const commission = round2(qty * this.options.commissionPerContract);
    const signed = order.action === 'BUY' ? qty : -qty;
    const realizedGross = account.applyFill(order.instrument, signed, price, commission);
    order.avgFillPrice = (order.avgFillPrice * order.filled + price * qty) / (order.filled + qty);
    order.filled += qty;
    order.lastFillPrice = price;
    if (order.filled >= order.totalQuantity) {
      order.status = 'Filled';
      this.working.delete(order);
    }
    const execution: Execution = {
      execId: `${this.options.execIdPrefix}.${(++this.execCounter).toString(16).padStart(8, '0')}.01.01`,
      orderId: order.orderId,
      permId: order.permId,
      clientId: order.clientId,
      account: order.account,
      orderRef: order.orderRef,
      symbol: order.instrument.symbol,
      conId: order.instrument.conId,
      exchange: order.instrument.exchange,
      side: order.action === 'BUY' ? 'BOT' : 'SLD',
      qty,
      price,
      time: this.clock.now(),
      cumQty: order.filled,
      avgPrice: order.avgFillPrice,
      commission,
      currency: account.currency,
      realizedPnl: realizedGross === undefined ? undefined : round2(realizedGross - commission),
    };
    this.ledger.record(execution);
    this.listener?.orderFilled(order, execution);
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function money(value: number, currency: string): string {
  return `${value.toFixed(2)} ${currency}`;
}
