import type { Contract, IBApi } from '@stoqey/ib';
import { EventName } from '../../../ib/stoqeyValues.ts';
import type { IbSession } from '../../../ib/session/ibSession.ts';
import { classifyMessage } from '../../../ib/messageCodes/index.ts';
import type { IbSourceConfig } from '../sourceConfig.ts';
import type { MarketDataSource, SourceContext } from '../marketDataSource.ts';
import { contractOf, secTypeOf } from '../../../ib/parsing/contracts.ts';
import { SecType } from '../../../ib/stoqeyValues.ts';
import type { ContractResolver, ResolvedContract } from '../../../contracts/index.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';
import { quoteFieldOf } from './ibTickFields.ts';
import { MARKET_DATA_ROLL_TOPIC, type MarketDataRoll } from './rollEvent.ts';

/** Market-data request ids live far above the session's (100M+) and order ids, so errors route unambiguously. */
let nextRequestId = 600_000_000;

/** How often (source clock) the contract months are checked for a roll: cheap (a cached listing), not per tick. */
export const ROLL_CHECK_INTERVAL_MS = 60_000;

interface Subscription {
  symbol: string;
  instrument: number;
  /** The month subscribed, when the contract policy chose it (absent: the source's configured contract). */
  month?: string;
  /** `incoming`: a roll's new month, not priced from until its first tick (the old month prices until then). */
  role: 'active' | 'incoming';
}

export interface IbSourceDependencies {
  /** Which month each symbol is subscribed in; absent, symbols are requested as configured (no month: TWS matches them all). */
  contracts?: ContractResolver;
  /** Where `market_data.roll` goes (the event bus). */
  publish?: (topic: string, payload: unknown) => void;
}

/** IB sends -1 (and sometimes 0 with size 0) for "no price right now". */
const isPrice = (value: number) => Number.isFinite(value) && value > 0;

/** The contract of a resolved month: by conId (unambiguous), with the fields IB checks it against. */
function contractOfMonth(base: Contract, resolved: ResolvedContract): Contract {
  return { ...base, conId: resolved.conId || undefined, lastTradeDateOrContractMonth: resolved.lastTradeDate, ...(resolved.exchange ? { exchange: resolved.exchange } : {}) };
}

/**
 * Streams IB market data (`reqMktData`) through an IB connection's session. It resubscribes
 * everything after 1101 (connectivity restored, data lost) and after every reconnect (a new
 * client), and reports 1100 and 2103 as interruptions so the source goes stale at once.
 *
 * Futures are subscribed in the month the contract policy chooses (`contracts`), checked again
 * every minute and at every resubscription. A roll subscribes the new month first, keeps pricing
 * from the old one until the new one's first tick, then switches and cancels the old: the
 * consolidated price has no gap.
 */
export function ibSource(config: IbSourceConfig, session: () => IbSession | undefined, dependencies: IbSourceDependencies = {}): MarketDataSource {
  const subscriptions = new Map<number, Subscription>();
  const subscriptionErrors: Record<string, string> = {};
  /** Per symbol, the month it is priced from (policy-chosen symbols only). */
  const months = new Map<string, string>();
  let attached: IBApi | null = null;
  let stopReadiness: (() => void) | null = null;
  let resubscriptions = 0;
  let rolls = 0;
  let ctx: SourceContext | null = null;
  let ib: IbSession | null = null;
  let rollTimer: unknown = null;
  let checkingRolls = false;
  /** The first subscription's outcome, for start(): resolved once every request was answered. */
  let firstRound: { pending: Set<number>; settle: () => void } | null = null;

  const guarded = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
    // These run in the IB client actor's socket callback: a bug here must fail this source, not the connection.
    try {
      fn(...args);
    } catch (error) {
      ctx?.fail(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const acknowledge = (reqId: number) => {
    if (!firstRound?.pending.delete(reqId)) return;
    if (firstRound.pending.size === 0) firstRound.settle();
  };

  /** A contract the policy should choose the month of: a future whose source config names no month or conId. */
  const policyApplies = (symbol: string): boolean => {
    const fields = config.contracts[symbol];
    if (!dependencies.contracts) return false;
    if (!fields) return true;
    return secTypeOf(fields.secType) === SecType.FUT && fields.lastTradeDateOrContractMonth === undefined && fields.conId === undefined && fields.localSymbol === undefined;
  };

  const request = (reqId: number, contract: Contract) => {
    // A request still queued when the connection dropped is superseded by the resubscription: skip it.
    ib?.enqueue('data', (api) => {
      if (subscriptions.has(reqId)) api.reqMktData(reqId, contract, config.genericTicks, false, false);
    });
  };

  const cancel = (reqId: number) => {
    subscriptions.delete(reqId);
    const client = attached;
    if (ib && client && ib.client === client) ib.enqueue('data', (api) => api.cancelMktData(reqId));
  };

  /** The symbol's prices come from `month` now; orders without an expiry follow (ContractResolver.forOrder). */
  const pricedFrom = (symbol: string, month: string) => {
    months.set(symbol, month);
    dependencies.contracts?.pricedFrom(contractOf(symbol, config.contracts[symbol]).symbol ?? symbol, month);
  };

  /** The symbol is priced from `to` now: one info line and one `market_data.roll` event. */
  const announceRoll = (symbol: string, from: string, to: string) => {
    if (!ctx) return;
    pricedFrom(symbol, to);
    rolls += 1;
    ctx.note('rolled');
    const at = new Date(dependencies.contracts?.now ?? Date.now()).toISOString();
    ctx.logger.info(`market data rolled ${symbol} from ${from} to ${to}`, { sourceId: ctx.sourceId, symbol, from, to, at });
    const roll: MarketDataRoll = { symbol, from, to, at, sourceId: ctx.sourceId };
    dependencies.publish?.(MARKET_DATA_ROLL_TOPIC, roll);
  };

  /** The incoming month ticked: it prices from now on, and the old month's subscription goes. */
  const completeRoll = (reqId: number, incoming: Subscription) => {
    for (const [id, other] of subscriptions) if (other.symbol === incoming.symbol && id !== reqId) cancel(id);
    incoming.role = 'active';
    announceRoll(incoming.symbol, months.get(incoming.symbol) ?? '', incoming.month!);
  };

  const onTickPrice = guarded((reqId: number, tickType: number, value: number) => {
    const subscription = subscriptions.get(reqId);
    if (!subscription || !ctx) return;
    acknowledge(reqId);
    const field = quoteFieldOf(tickType);
    if (!field || !isPrice(value)) return;
    if (subscription.role === 'incoming') completeRoll(reqId, subscription);
    ctx.ticks.field(subscription.instrument, field, value, ctx.clock.now());
  });
  const onAcknowledged = guarded((reqId: number) => acknowledge(reqId));
  const onMessage = guarded((code: number, message: string, reqId: number) => {
    if (!ctx) return;
    const subscription = subscriptions.get(reqId);
    if (subscription) {
      if (classifyMessage(code, message).severity !== 'error') return;
      if (subscription.role === 'incoming') {
        // The new month could not be subscribed: the old one keeps pricing, and the next check tries again.
        subscriptions.delete(reqId);
        ctx.logger.warn('market data roll: the new month could not be subscribed; staying on the old one', { sourceId: ctx.sourceId, symbol: subscription.symbol, month: subscription.month, code, message });
        return;
      }
      subscriptionErrors[subscription.symbol] = `${code}: ${message}`;
      acknowledge(reqId);
      return;
    }
    switch (classifyMessage(code, message).category) {
      case 'connectivity_lost':
        return ctx.interrupted(`IB connectivity lost (${code})`);
      case 'restored_data_lost':
        return subscribeAll('1101');
      case 'data_farm_broken':
        return ctx.interrupted(`market data farm broken (${code}): ${message}`);
      case 'data_farm_ok':
        return ctx.note('farmRestored');
    }
  });
  const onError = (error: Error, code: number, reqId: number) => onMessage(code, error?.message ?? String(error), reqId);
  const onInfo = (message: string, code: number) => onMessage(code, message, -1);

  const attach = (api: IBApi) => {
    detach();
    attached = api;
    api.on(EventName.tickPrice, onTickPrice);
    api.on(EventName.tickSize, onAcknowledged);
    api.on(EventName.marketDataType, onAcknowledged);
    api.on(EventName.error, onError);
    api.on(EventName.info, onInfo);
  };
  const detach = () => {
    if (!attached) return;
    attached.off(EventName.tickPrice, onTickPrice);
    attached.off(EventName.tickSize, onAcknowledged);
    attached.off(EventName.marketDataType, onAcknowledged);
    attached.off(EventName.error, onError);
    attached.off(EventName.info, onInfo);
    attached = null;
  };

  /** Subscribes one symbol in the policy's month; a month that cannot be resolved is that symbol's subscription error. */
  const subscribeResolved = (reqId: number, symbol: string) => {
    const base = contractOf(symbol, config.contracts[symbol]);
    dependencies.contracts!.current(base.symbol ?? symbol).then(
      guarded((resolved: ResolvedContract) => {
        const subscription = subscriptions.get(reqId);
        if (!subscription) return;
        subscription.month = resolved.contractMonth;
        const before = months.get(symbol);
        // A roll that fell due while disconnected: the old month's subscription is gone already, so no overlap to wait for.
        if (before !== undefined && before !== resolved.contractMonth) announceRoll(symbol, before, resolved.contractMonth);
        else pricedFrom(symbol, resolved.contractMonth);
        request(reqId, contractOfMonth(base, resolved));
      }),
      guarded((error: unknown) => {
        if (!subscriptions.has(reqId)) return;
        subscriptionErrors[symbol] = `contract month: ${errorMessage(error)}`;
        ctx?.logger.warn('ib market data: no contract month to subscribe', { sourceId: ctx.sourceId, symbol, error: errorMessage(error) });
        acknowledge(reqId);
      }),
    );
  };

  /** New request ids every time: after 1101 or a reconnect the old ones mean nothing to TWS. */
  const subscribeAll = (reason: 'initial' | '1101' | 'reconnect') => {
    if (!ctx || !ib) return;
    subscriptions.clear();
    if (reason !== 'initial') {
      resubscriptions += 1;
      ctx.note('resubscribed');
      ctx.logger.info('ib market data resubscribed', { sourceId: ctx.sourceId, reason, instruments: ctx.instruments.length });
    }
    const marketDataType = config.marketDataType;
    if (marketDataType !== undefined) ib.enqueue('data', (api) => api.reqMarketDataType(marketDataType));
    for (const symbol of ctx.instruments) {
      const reqId = nextRequestId++;
      subscriptions.set(reqId, { symbol, instrument: ctx.index.indexOf(symbol), role: 'active' });
      firstRound?.pending.add(reqId);
      if (policyApplies(symbol)) subscribeResolved(reqId, symbol);
      else request(reqId, contractOf(symbol, config.contracts[symbol]));
    }
    if (firstRound?.pending.size === 0) firstRound.settle();
  };

  /** Each symbol's policy month now; a different one starts a roll (at most one in flight per symbol). */
  const checkRolls = async () => {
    const resolver = dependencies.contracts;
    const context = ctx;
    if (!resolver || !context || !ib || !attached || checkingRolls) return;
    checkingRolls = true;
    // The source may stop (or restart with a new context) while a lookup is awaited: its answer then belongs to nobody.
    const stillRunning = () => ctx === context && attached !== null;
    try {
      for (const symbol of context.instruments) {
        const current = months.get(symbol);
        if (current === undefined || !policyApplies(symbol)) continue;
        if ([...subscriptions.values()].some((s) => s.symbol === symbol && s.role === 'incoming')) continue;
        const base = contractOf(symbol, config.contracts[symbol]);
        let resolved: ResolvedContract;
        try {
          resolved = await resolver.current(base.symbol ?? symbol);
        } catch (error) {
          if (!stillRunning()) return;
          context.logger.warn('market data roll check failed; keeping the current month', { sourceId: context.sourceId, symbol, month: current, error: errorMessage(error) });
          continue;
        }
        if (!stillRunning()) return;
        if (resolved.contractMonth === current) continue;
        const reqId = nextRequestId++;
        subscriptions.set(reqId, { symbol, instrument: context.index.indexOf(symbol), month: resolved.contractMonth, role: 'incoming' });
        context.logger.info(`market data roll of ${symbol} from ${current} to ${resolved.contractMonth}: subscribing the new month`, { sourceId: context.sourceId, symbol });
        request(reqId, contractOfMonth(base, resolved));
      }
    } finally {
      checkingRolls = false;
    }
  };

  const scheduleRollCheck = () => {
    if (!ctx || !dependencies.contracts) return;
    const context = ctx;
    rollTimer = context.clock.setTimeout(() => {
      rollTimer = null;
      void checkRolls().finally(() => {
        if (ctx === context && !context.signal.aborted) scheduleRollCheck();
      });
    }, ROLL_CHECK_INTERVAL_MS);
  };

  const onReadiness = guarded(() => {
    if (!ib || !ctx) return;
    const client = ib.client;
    if (!client) {
      if (attached) {
        detach();
        ctx.interrupted('IB connection lost');
      }
      return;
    }
    if (client === attached) return;
    attach(client);
    // A reconnect resolves every month afresh: a roll due while disconnected happens here.
    subscribeAll(firstRound ? 'initial' : 'reconnect');
  });

  return {
    start(context) {
      ctx = context;
      ib = session() ?? null;
      if (!ib) return Promise.reject(new Error(`no IB connection '${config.connection}'`));
      const started = new Promise<void>((resolve, reject) => {
        firstRound = {
          pending: new Set(),
          settle: () => {
            firstRound = null;
            const failed = Object.keys(subscriptionErrors);
            if (failed.length === context.instruments.length) reject(new Error(`no instrument could be subscribed: ${JSON.stringify(subscriptionErrors)}`));
            else resolve();
          },
        };
      });
      stopReadiness = ib.onReadiness(onReadiness);
      onReadiness();
      scheduleRollCheck();
      return started;
    },
    stop() {
      stopReadiness?.();
      stopReadiness = null;
      if (rollTimer !== null) ctx?.clock.clearTimeout(rollTimer);
      rollTimer = null;
      if (ib && attached && ib.client === attached) {
        for (const reqId of subscriptions.keys()) ib.enqueue('data', (api) => api.cancelMktData(reqId));
      }
      subscriptions.clear();
      detach();
      ctx = null;
    },
    describe() {
      const symbols = [...new Set([...subscriptions.values()].filter((s) => s.role === 'active').map((s) => s.symbol))];
      return {
        connection: config.connection,
        subscriptions: symbols,
        ...(months.size > 0 ? { contractMonths: Object.fromEntries(months) } : {}),
        resubscriptions,
        rolls,
        subscriptionErrors,
      };
    },
  };
}
