import { EventName, type IBApi } from '@stoqey/ib';

export interface BrokerOrderFound {
  ibOrderId: number;
  status: string;
  fills: { execId: string; quantity: number; price: number }[];
}

/**
 * Asks the broker what it knows of an order by its orderRef: open orders (all clients) and
 * today's executions. Used when a submission is in doubt, so the order is looked up instead of
 * being sent again. Rejects (never resolves empty) when the broker does not answer in time.
 */
export function findOrderByRef(api: IBApi, orderRef: string, reqId: number, timeoutMs: number): Promise<BrokerOrderFound | null> {
  return new Promise((resolve, reject) => {
    let openDone = false;
    let execDone = false;
    let found: { ibOrderId: number; status: string } | null = null;
    const fills: BrokerOrderFound['fills'] = [];
    const onOpen = (orderId: number, _c: unknown, order: { orderRef?: string }, state: { status?: string }) => {
      if (order?.orderRef === orderRef) found = { ibOrderId: orderId, status: state?.status ?? 'Submitted' };
    };
    const onOpenEnd = () => {
      openDone = true;
      finish();
    };
    const onExec = (id: number, _c: unknown, execution: { orderRef?: string; orderId?: number; execId?: string; shares?: number; price?: number }) => {
      if (id !== reqId || execution?.orderRef !== orderRef || !execution.execId) return;
      fills.push({ execId: execution.execId, quantity: execution.shares ?? 0, price: execution.price ?? Number.NaN });
      found ??= { ibOrderId: execution.orderId ?? -1, status: 'Filled' };
    };
    const onExecEnd = (id: number) => {
      if (id !== reqId) return;
      execDone = true;
      finish();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`broker did not answer the lookup of ${orderRef} within ${timeoutMs} ms`));
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      api.off(EventName.openOrder, onOpen);
      api.off(EventName.openOrderEnd, onOpenEnd);
      api.off(EventName.execDetails, onExec);
      api.off(EventName.execDetailsEnd, onExecEnd);
    }
    function finish() {
      if (!openDone || !execDone) return;
      cleanup();
      resolve(found ? { ...found, fills } : null);
    }
    api.on(EventName.openOrder, onOpen);
    api.on(EventName.openOrderEnd, onOpenEnd);
    api.on(EventName.execDetails, onExec);
    api.on(EventName.execDetailsEnd, onExecEnd);
    api.reqAllOpenOrders();
    api.reqExecutions(reqId, {});
  });
}
