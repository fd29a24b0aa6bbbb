import type { IBApi } from '@stoqey/ib';
import { EventName } from '../stoqeyValues.ts';

export interface BrokerSnapshot {
  /** `clientId`: the API client that placed it (IB's order ids are per client). */
  openOrders: { orderId: number; orderRef: string | undefined; status: string | undefined; clientId: number | undefined }[];
  executions: {
    execId: string;
    orderId: number;
    orderRef: string | undefined;
    shares: number;
    price: number;
    account: string | undefined;
    symbol: string | undefined;
    /** IB's BOT (bought) or SLD (sold). */
    side: string | undefined;
  }[];
  positions: { account: string; symbol: string; position: number; lastTradeDateOrContractMonth?: string; localSymbol?: string }[];
}

/**
 * The broker's truth in one go: open orders (all clients), today's executions and positions.
 * Rejects when any part does not finish in time: a failed answer is never an empty one.
 */
export function takeBrokerSnapshot(api: IBApi, reqId: number, timeoutMs: number, abortOn?: (abort: (reason: string) => void) => () => void): Promise<BrokerSnapshot> {
  return new Promise((resolve, reject) => {
    const snapshot: BrokerSnapshot = { openOrders: [], executions: [], positions: [] };
    const done = { open: false, exec: false, positions: false };
    const onOpen = (orderId: number, _c: unknown, order: { orderRef?: string; clientId?: number }, state: { status?: string }) =>
      snapshot.openOrders.push({ orderId, orderRef: order?.orderRef, status: state?.status, clientId: order?.clientId });
    const onOpenEnd = () => finish('open');
    const onExec = (id: number, contract: { symbol?: string }, e: { execId?: string; orderId?: number; orderRef?: string; shares?: number; price?: number; acctNumber?: string; side?: string }) => {
      if (id !== reqId || !e?.execId) return;
      snapshot.executions.push({ execId: e.execId, orderId: e.orderId ?? -1, orderRef: e.orderRef, shares: e.shares ?? 0, price: e.price ?? Number.NaN, account: e.acctNumber, symbol: contract?.symbol, side: e.side });
    };
    const onExecEnd = (id: number) => {
      if (id === reqId) finish('exec');
    };
    const onPosition = (account: string, contract: { symbol?: string; lastTradeDateOrContractMonth?: string; localSymbol?: string }, position: number) => {
      if (!contract?.symbol) return;
      snapshot.positions.push({
        account,
        symbol: contract.symbol,
        position,
        // The contract month: reportable levels are per future, not per symbol.
        ...(contract.lastTradeDateOrContractMonth ? { lastTradeDateOrContractMonth: contract.lastTradeDateOrContractMonth } : {}),
        ...(contract.localSymbol ? { localSymbol: contract.localSymbol } : {}),
      });
    };
    const onPositionEnd = () => finish('positions');
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`broker snapshot incomplete after ${timeoutMs} ms (${Object.entries(done).filter(([, v]) => !v).map(([k]) => k).join(', ')} missing)`));
    }, timeoutMs);
    // The connection it was asked on went away: nobody will answer, so fail now rather than at the timeout.
    const stopWatching = abortOn?.((reason) => {
      cleanup();
      reject(new Error(`broker snapshot abandoned: ${reason}`));
    });
    function cleanup() {
      clearTimeout(timer);
      stopWatching?.();
      api.off(EventName.openOrder, onOpen);
      api.off(EventName.openOrderEnd, onOpenEnd);
      api.off(EventName.execDetails, onExec);
      api.off(EventName.execDetailsEnd, onExecEnd);
      api.off(EventName.position, onPosition);
      api.off(EventName.positionEnd, onPositionEnd);
    }
    function finish(part: keyof typeof done) {
      done[part] = true;
      if (!done.open || !done.exec || !done.positions) return;
      cleanup();
      resolve(snapshot);
    }
    api.on(EventName.openOrder, onOpen);
    api.on(EventName.openOrderEnd, onOpenEnd);
    api.on(EventName.execDetails, onExec);
    api.on(EventName.execDetailsEnd, onExecEnd);
    api.on(EventName.position, onPosition);
    api.on(EventName.positionEnd, onPositionEnd);
    api.reqPositions();
    api.reqAllOpenOrders();
    api.reqExecutions(reqId, {});
  });
}
