import type { BrokerListener } from '../broker/broker.ts';
import type { Execution, MarginFigures, SimOrder } from '../broker/types.ts';
import { ERR, MSG } from '../protocol/errorCodes.ts';
import { writeCommissionReport, writeExecDetails } from '../protocol/outgoing/executions.ts';
import { writeOpenOrder, writeOrderStatus } from '../protocol/outgoing/orders.ts';
import { writeError } from '../protocol/outgoing/system.ts';
import type { SimContext } from './context.ts';
import { pushAccountChange } from './handlers/account.ts';
import type { Session } from './session.ts';

/**
 * Turns broker events into the message sequences TWS sends the owning client:
 * accept -> openOrder + orderStatus; fill -> execDetails, orderStatus, (openOrder when filled),
 * commissionReport; cancel -> orderStatus Cancelled + 202; reject -> error with the order id.
 *
 * The master API client (options.masterClientId), when connected, also gets the openOrder,
 * orderStatus, execDetails and commissionReport of every other client's orders ("order status and
 * trade callbacks"); errors (202, 201, 103, 10147...) and whatIf answers go to the owner only.
 */
export function createOrderEventRouter(ctx: SimContext): BrokerListener {
  const ready = (clientId: number | undefined) => {
    if (clientId === undefined) return undefined;
    const session = ctx.readySessions.get(clientId);
    return session && session.state === 'ready' ? session : undefined;
  };
  const owner = (clientId: number) => ready(clientId);
  /** The master client's session when it is someone else than the order's owner. */
  const master = (order: SimOrder): Session | undefined => {
    const id = ctx.config.masterClientId;
    if (id === undefined || id === order.clientId) return undefined;
    const session = ready(id);
    // Shown another client's order id: the master's own new ids must now be above it.
    if (session) ctx.broker.noteIdShown(id, order.orderId);
    return session;
  };
  const writeFill = (s: Session, order: SimOrder, execution: Execution, copies: number) => {
    for (let c = 0; c < copies; c++) writeExecDetails(s.out, s.serverVersion, -1, execution, order.instrument);
    writeOrderStatus(s.out, s.serverVersion, order);
    if (order.status === 'Filled') writeOpenOrder(s.out, s.serverVersion, order, { status: order.status });
    for (let c = 0; c < copies; c++) writeCommissionReport(s.out, execution);
    s.flushSoon();
  };
  const writeSubmitted = (s: Session, order: SimOrder) => {
    writeOpenOrder(s.out, s.serverVersion, order, { status: order.status });
    writeOrderStatus(s.out, s.serverVersion, order);
    s.flushSoon();
  };
  return {
    orderSubmitted(order: SimOrder) {
      const s = owner(order.clientId);
      if (s) writeSubmitted(s, order);
      const m = master(order);
      if (m) writeSubmitted(m, order);
    },
    orderFilled(order: SimOrder, execution: Execution) {
      const s = owner(order.clientId);
      if (s) {
        const copies = ctx.faults.duplicateNextExecution ? 2 : 1;
        if (copies === 2) {
          ctx.faults.duplicateNextExecution = false;
          ctx.logger.info('fault injected', { component: 'sim', fault: 'duplicateNextExecution', execId: execution.execId });
        }
        writeFill(s, order, execution, copies);
      }
      const m = master(order);
      if (m) writeFill(m, order, execution, 1);
      pushAccountChange(ctx, execution.account, order.instrument);
    },
    orderCancelled(order: SimOrder) {
      const s = owner(order.clientId);
      if (s) {
        writeOrderStatus(s.out, s.serverVersion, order);
        writeError(s.out, s.serverVersion, order.orderId, ERR.ORDER_CANCELLED, MSG.orderCancelled);
        s.flushSoon();
      }
      const m = master(order);
      if (m) {
        writeOrderStatus(m.out, m.serverVersion, order);
        m.flushSoon();
      }
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
