import type { BrokerListener } from '../broker/broker';
import type { Execution, MarginFigures, SimOrder } from '../broker/types';
import { ERR, MSG } from '../protocol/errorCodes';
import { writeCommissionReport, writeExecDetails } from '../protocol/outgoing/executions';
import { writeOpenOrder, writeOrderStatus } from '../protocol/outgoing/orders';
import { writeError } from '../protocol/outgoing/system';
import type { SimContext } from './context';
import { pushAccountChange } from './handlers/account';

/**
 * Turns broker events into the message sequences TWS sends the owning client:
 * accept -> openOrder + orderStatus; fill -> execDetails, orderStatus, (openOrder when filled),
 * commissionReport; cancel -> orderStatus Cancelled + 202; reject -> error with the order id.
 */
export function createOrderEventRouter(ctx: SimContext): BrokerListener {
  const owner = (clientId: number) => {
    const session = ctx.readySessions.get(clientId);
    return session && session.state === 'ready' ? session : undefined;
  };
  return {
    orderSubmitted(order: SimOrder) {
      const s = owner(order.clientId);
      if (!s) return;
      writeOpenOrder(s.out, s.serverVersion, order, { status: order.status });
      writeOrderStatus(s.out, s.serverVersion, order);
      s.flushSoon();
    },
    orderFilled(order: SimOrder, execution: Execution) {
      const s = owner(order.clientId);
      if (s) {
        const copies = ctx.faults.duplicateNextExecution ? 2 : 1;
        if (copies === 2) {
          ctx.faults.duplicateNextExecution = false;
          ctx.logger.info('fault injected', { component: 'sim', fault: 'duplicateNextExecution', execId: execution.execId });
        }
        for (let c = 0; c < copies; c++) writeExecDetails(s.out, s.serverVersion, -1, execution, order.instrument);
        writeOrderStatus(s.out, s.serverVersion, order);
        if (order.status === 'Filled') writeOpenOrder(s.out, s.serverVersion, order, { status: order.status });
        for (let c = 0; c < copies; c++) writeCommissionReport(s.out, execution);
        s.flushSoon();
      }
      pushAccountChange(ctx, execution.account, order.instrument);
    },
    orderCancelled(order: SimOrder) {
      const s = owner(order.clientId);
      if (!s) return;
      writeOrderStatus(s.out, s.serverVersion, order);
      writeError(s.out, s.serverVersion, order.orderId, ERR.ORDER_CANCELLED, MSG.orderCancelled);
      s.flushSoon();
    },
    orderRejected(clientId: number, orderId: number, code: number, message: string) {
      const s = owner(clientId);
      if (!s) return;
      writeError(s.out, s.serverVersion, orderId, code, message);
      s.flushSoon();
    },
    whatIfAnswered(order: SimOrder, margins: MarginFigures) {
      const s = owner(order.clientId);
      if (!s) return;
      const currency = ctx.broker.accounts.get(order.account)?.currency ?? 'USD';
      writeOpenOrder(s.out, s.serverVersion, order, { status: order.status, margins, commissionCurrency: currency });
      s.flushSoon();
    },
  };
}
