import type { IBApi } from '@stoqey/ib';
import { EventName } from '../../../ib/stoqeyValues.ts';
import type { IbSession } from '../../../ib/session/ibSession.ts';
import { classifyMessage } from '../../../ib/messageCodes/index.ts';
import type { IbSourceConfig } from '../sourceConfig.ts';
import type { MarketDataSource, SourceContext } from '../marketDataSource.ts';
import { contractOf } from '../../../ib/parsing/contracts.ts';
import { quoteFieldOf } from './ibTickFields.ts';

/** Market-data request ids live far above the session's (100M+) and order ids, so errors route unambiguously. */
let nextRequestId = 600_000_000;

interface Subscription {
  symbol: string;
  instrument: number;
}

/** IB sends -1 (and sometimes 0 with size 0) for "no price right now". */
const isPrice = (value: number) => Number.isFinite(value) && value > 0;

/**
 * Streams IB market data (`reqMktData`) through an IB connection's session. It resubscribes
 * everything after 1101 (connectivity restored, data lost) and after every reconnect (a new
 * client), and reports 1100 and 2103 as interruptions so the source goes stale at once.
 */
export function ibSource(config: IbSourceConfig, session: () => IbSession | undefined): MarketDataSource {
  const subscriptions = new Map<number, Subscription>();
  const subscriptionErrors: Record<string, string> = {};
  let attached: IBApi | null = null;
  let stopReadiness: (() => void) | null = null;
  let resubscriptions = 0;
  let ctx: SourceContext | null = null;
  let ib: IbSession | null = null;
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

  const onTickPrice = guarded((reqId: number, tickType: number, value: number) => {
    const subscription = subscriptions.get(reqId);
    if (!subscription || !ctx) return;
    acknowledge(reqId);
    const field = quoteFieldOf(tickType);
    if (field && isPrice(value)) ctx.ticks.field(subscription.instrument, field, value, ctx.clock.now());
  });
  const onAcknowledged = guarded((reqId: number) => acknowledge(reqId));
  const onMessage = guarded((code: number, message: string, reqId: number) => {
    if (!ctx) return;
    const subscription = subscriptions.get(reqId);
    if (subscription) {
      if (classifyMessage(code, message).severity !== 'error') return;
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
      subscriptions.set(reqId, { symbol, instrument: ctx.index.indexOf(symbol) });
      firstRound?.pending.add(reqId);
      const contract = contractOf(symbol, config.contracts[symbol]);
      // A request still queued when the connection dropped is superseded by the resubscription: skip it.
      ib.enqueue('data', (api) => {
        if (subscriptions.has(reqId)) api.reqMktData(reqId, contract, config.genericTicks, false, false);
      });
    }
    if (firstRound?.pending.size === 0) firstRound.settle();
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
      return started;
    },
    stop() {
      stopReadiness?.();
      stopReadiness = null;
      if (ib && attached && ib.client === attached) {
        for (const reqId of subscriptions.keys()) ib.enqueue('data', (api) => api.cancelMktData(reqId));
      }
      subscriptions.clear();
      detach();
    },
    describe() {
      return {
        connection: config.connection,
        subscriptions: [...subscriptions.values()].map((s) => s.symbol),
        resubscriptions,
        subscriptionErrors,
      };
    },
  };
}
