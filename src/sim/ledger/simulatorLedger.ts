import { ExecutionsLedger } from '../broker/ledger.ts';
import type { ConnectionLedger, ConnectionQuery, ConnectionRecord } from './connectionLedger.ts';
import type { MessageLedger, OrderMessageQuery, OrderMessageRecord } from './messageLedger.ts';

/**
 * The simulator's record of truth: the executions (what `sim.ledger` always was, so all(),
 * byOrderRef() etc. are the executions), plus every API connection and every order-affecting
 * message with the connection and client id that sent it.
 */
export class SimulatorLedger extends ExecutionsLedger {
  constructor(
    private readonly connectionLog: ConnectionLedger,
    private readonly messageLog: MessageLedger,
  ) {
    super();
  }

  /** Every connection (copies), or those matching the query, in connection id order. */
  connections(q: ConnectionQuery = {}): ConnectionRecord[] {
    return this.connectionLog.query(q);
  }

  connection(connectionId: number): ConnectionRecord | undefined {
    return this.connectionLog.get(connectionId);
  }

  /** Every placeOrder / cancelOrder / reqGlobalCancel (frozen records), or those matching, in arrival order. */
  messages(q: OrderMessageQuery = {}): OrderMessageRecord[] {
    return this.messageLog.query(q);
  }
}
