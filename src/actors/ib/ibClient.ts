import { accountKind } from '../../ib/accountKind.ts';
import { whatIfMargins, type WhatIfOrderState } from '../../ib/parsing/whatIf.ts';
import { ErrorCode, EventName, IBApi } from '../../ib/stoqeyValues.ts';
import type { Logger } from '../../log/logger.ts';
import type { IbSession } from '../../ib/session/ibSession.ts';
import type { IbClientCommand, IbClientEvent } from '../../machines/ib/ibConnectionTypes.ts';
import { containedCallback } from '../containedCallback.ts';
import { classifyMessage } from '../../ib/messageCodes/index.ts';
import { explainConnectionError, type GatewayAddress } from '../../ib/connectionHints.ts';
import { guardInboundFrames } from '../../ib/wire/guardInboundFrames.ts';
import { historicalDataListener } from '../../ib/session/historicalBars.ts';
import { logIbMessage } from './ibMessageLog.ts';

/** @stoqey/ib's own limiter would queue behind ours; IbSession does the pacing. */
const UNLIMITED_REQUESTS_PER_SECOND = 1_000_000;

/**
 * Owns the @stoqey/ib client of one IB connection: a fresh IBApi per connect, its events
 * reported to the connection machine, and the session told when traffic may flow.
 */
export function ibClientActor(options: { session: IbSession; logger: Logger; systemId: string }) {
  const { session, logger, systemId } = options;
  return containedCallback<IbClientCommand, unknown, IbClientEvent>(({ sendBack, receive }) => {
    let api: IBApi | null = null;
    let clientId = -1;
    let gateway: GatewayAddress | null = null;

    const detach = () => {
      if (!api) return;
      const old = api;
      api = null;
      old.removeAllListeners();
      // Disconnecting emits 'disconnected' on a client we no longer listen to; swallow its errors.
      old.on(EventName.error, () => {});
      old.disconnect();
      session.goOffline('disconnected');
    };

    /** One log line per IB message, with what usually causes it for the codes an operator fixes at the gateway or the account (refused, 326, read-only, no market data, …). */
    const noteMessage = (code: number, message: string, reqId: number) => {
      const { hint } = explainConnectionError(`${code}: ${message}`, { gateway, clientId });
      logIbMessage(logger, { systemId, code, message, reqId, hint });
    };

    const attach = (host: string, port: number, id: number) => {
      detach();
      clientId = id;
      gateway = { host, port };
      const client = new IBApi({ host, port, maxReqPerSec: UNLIMITED_REQUESTS_PER_SECOND });
      api = client;
      const mine = (fn: (...args: any[]) => void) => (...args: any[]) => {
        if (api === client) fn(...args);
      };
      /** The peer broke the framing: the link is dropped and the machine reconnects with backoff. */
      const protocolError = (reason: string) => {
        logger.error('ib protocol error: connection dropped', { systemId, host, port, clientId: id, reason });
        sendBack({ type: 'ib.protocolError', reason });
      };
      client.on(EventName.connected, mine(() => sendBack({ type: 'ib.connected' })));
      client.on(EventName.disconnected, mine(() => {
        logger.warn('ib disconnected', { systemId, host, port, clientId: id });
        session.goOffline('socket closed');
        sendBack({ type: 'ib.disconnected', reason: 'socket closed' });
      }));
      client.on(EventName.nextValidId, mine((orderId: number) => {
        session.orderIds.observeNextValidId(orderId);
        sendBack({ type: 'ib.nextValidId', orderId });
      }));
      client.on(EventName.managedAccounts, mine((list: string) => {
        const accounts = String(list).split(',').map((a) => a.trim()).filter(Boolean);
        // PAPER or LIVE, once per connection: what an operator must know before anything trades.
        logger.info(`ib accounts: ${accountKind(accounts)}`, { systemId, clientId: id, accounts, account: accountKind(accounts) });
        sendBack({ type: 'ib.managedAccounts', accounts });
      }));
      client.on(EventName.currentTime, mine((time: number) => sendBack({ type: 'ib.currentTime', time })));
      // Order updates go straight to the session's order feed: data, not lifecycle.
      client.on(EventName.orderStatus, mine((orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number) =>
        session.orderFeed.publish({ kind: 'status', orderId, status, filled, remaining, avgFillPrice }),
      ));
      client.on(EventName.openOrder, mine((orderId: number, _contract: unknown, order: { orderRef?: string; whatIf?: boolean }, state: WhatIfOrderState) => {
        // A whatIf answer is not an order at the broker: it goes to whoever asked, never to the router.
        if (order?.whatIf) session.orderFeed.publish({ kind: 'whatIf', orderId, margins: whatIfMargins(state) });
        else session.orderFeed.publish({ kind: 'open', orderId, orderRef: order?.orderRef, status: state?.status });
      }));
      client.on(EventName.execDetails, mine((_reqId: number, _contract: unknown, execution: { orderId?: number; orderRef?: string; execId?: string; shares?: number; price?: number; acctNumber?: string; time?: string }) => {
        if (execution?.execId === undefined) return;
        session.orderFeed.publish({
          kind: 'execution',
          orderId: execution.orderId ?? -1,
          orderRef: execution.orderRef,
          execId: execution.execId,
          shares: execution.shares ?? 0,
          price: execution.price ?? Number.NaN,
          account: execution.acctNumber,
          time: execution.time,
        });
      }));
      client.on(EventName.commissionReport, mine((report: { execId?: string; commission?: number; currency?: string }) => {
        if (report?.execId) session.orderFeed.publish({ kind: 'commission', execId: report.execId, commission: report.commission ?? 0, ...(report.currency ? { currency: report.currency } : {}) });
      }));
      // Answers to correlated requests go straight to the session: data, not lifecycle.
      client.on(EventName.contractDetails, mine((reqId: number, details: unknown) => session.correlator.item(reqId, details)));
      client.on(EventName.contractDetailsEnd, mine((reqId: number) => session.correlator.end(reqId)));
      client.on(EventName.historicalData, mine(historicalDataListener(session.correlator)));
      client.on(EventName.info, mine((message: string, code: number) => {
        noteMessage(code, message, -1);
        sendBack({ type: 'ib.message', code, message, reqId: -1 });
      }));
      client.on(EventName.error, mine((error: Error, code: number, reqId: number) => {
        const message = error?.message ?? String(error);
        // @stoqey/ib's own length check (patches/@stoqey+ib+*.patch), for a stream our guard let through.
        if (code === ErrorCode.BAD_LENGTH) return protocolError(message);
        noteMessage(code, message, reqId);
        if (typeof reqId === 'number' && reqId >= 0 && !session.correlator.fail(reqId, code, message)) {
          const { routing, category } = classifyMessage(code, message);
          // A request-routed code on an id no request owns is an order's: IB answers a placeOrder for a
          // contract it cannot find (expired, unlisted, ambiguous) with 200 on the order id.
          if (routing === 'order' || routing === 'request') session.orderFeed.publish({ kind: 'error', orderId: reqId, code, message, category });
        }
        sendBack({ type: 'ib.message', code: typeof code === 'number' ? code : -1, message, reqId: typeof reqId === 'number' ? reqId : -1 });
      }));
      logger.info('ib connecting', { systemId, host, port, clientId: id });
      client.connect(id);
      if (!guardInboundFrames(client, mine((error: { reason: string }) => protocolError(error.reason)))) {
        logger.error('ib inbound frame guard not installed: @stoqey/ib no longer keeps its socket at controller.socket.client', { systemId });
      }
    };

    receive((command) => {
      switch (command.type) {
        case 'connect':
          return attach(command.host, command.port, command.clientId);
        case 'disconnect':
          return detach();
        case 'heartbeat':
          // Paced like everything else (IB counts it), but in the first lane so queued orders and
          // data never delay it long enough to look like a dead link.
          session.enqueue('cancel', (client) => client.reqCurrentTime());
          return;
        case 'slowDown':
          session.slowDown();
          logger.warn('ib pacing violation: outbound rate stepped down', { systemId, rate: session.currentRate });
          return;
        case 'holdOrders':
          session.holdOrders(command.hold);
          return;
        case 'online':
          if (api) session.goOnline(api);
          logger.info('ib connected', { systemId, clientId });
          return;
        case 'offline':
          session.goOffline('connection left connected state');
          return;
      }
    });
    return detach;
  });
}
