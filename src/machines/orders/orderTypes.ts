import type { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';
/** The order as the order machine needs it (the queue's job schema maps onto this). */
export interface OrderSpec {
  clientOrderId: string;
  account: string;
  symbol: string;
  /** Contract month (YYYYMM or YYYYMMDD) for futures by symbol. */
  expiry?: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  orderType: 'MKT' | 'LMT' | 'STP' | 'STP LMT';
  limitPrice?: number;
  stopPrice?: number;
  timeInForce: 'DAY' | 'GTC' | 'IOC';
  /** How the order is worked; absent means as given (a plain market or limit order). */
  algorithm?: OrderAlgorithm;
  /** Set on a TWAP slice: the order it is part of. */
  parentId?: string;
  /** When the order must stop working (epoch ms): it is cancelled then and ends expired. */
  deadlineAt?: number;
  /** The strategy that sent it (the job's `strategy`); absent on orders stored before it was kept. */
  strategy?: string;
}

export type OrderAlgorithm =
  | { kind: 'market' }
  | { kind: 'limit' }
  | { kind: 'limitChase'; repriceEveryMs: number; deadlineMs: number; atDeadline: 'cross' | 'cancel' }
  | { kind: 'twap'; slices: number; durationMs: number };

/** What a modify request may change. */
export interface OrderChanges {
  quantity?: number;
  limitPrice?: number;
  stopPrice?: number;
}

export interface Fill {
  execId: string;
  quantity: number;
  price: number;
  commission?: number;
  /**
   * When the runtime recorded the execution (ISO 8601), stamped by whoever builds the event: the
   * machine keeps it as given and never reads a clock. Absent on fills stored before it was kept.
   */
  time?: string;
}

export interface OrderTiming {
  /** No acknowledgement from the broker within this and the submission is in doubt. */
  ackTimeoutMs: number;
  /** No cancel confirmation within this and the cancel is retried / looked up. */
  cancelTimeoutMs: number;
}

/** What the submission actor resolves with: the order went (this attempt), or the store said no. */
export type SubmitOutcome = { sent: true; ibOrderId: number; attempt: number } | { sent: false; attempt: number };

export interface OrderInput {
  order: OrderSpec;
  timing: OrderTiming;
  /** How long the order may work; it is cancelled (and ends expired) after this. */
  deadlineInMs?: number | null;
  /** Restored state after a restart, if any. */
  restored?: Partial<OrderContext>;
  /** The instrument's minimum price increment (limit-chase prices are multiples of it). */
  tickSize?: number;
  /** Time since the order was received (non-zero after a restart): algorithms keep their schedule. */
  elapsedMs?: number;
  /** Ask IB (whatIf) what the order would do to margin before sending it. */
  marginCheck?: boolean;
}

export interface OrderContext {
  order: OrderSpec;
  timing: OrderTiming;
  deadlineInMs: number | null;
  ibOrderId: number | null;
  filledQuantity: number;
  /** Quantity-weighted average fill price, or null before any fill. */
  averagePrice: number | null;
  commission: number;
  /** Execution ids already applied: a fill reported twice is applied once. */
  execIds: string[];
  /** The applied executions, in order (quantities as booked, never past the order's size). */
  fills: Fill[];
  rejectReason: string | null;
  /** Latest broker status text (Submitted, PreSubmitted, ...). */
  brokerStatus: string | null;
  /** A cancel asked for before the broker had acknowledged the order: sent once it has. */
  cancelPending: boolean;
  /** A modification sent and not yet confirmed by the broker. */
  pendingModify: OrderChanges | null;
  /** What the pre-trade checks refused, or null when they passed (or have not run). */
  checkFailures: string[] | null;
  marginCheck: boolean;
  marginChecked: boolean;
  /** The deadline fired while the broker had not yet acknowledged: expire once it has. */
  deadlinePassed: boolean;
  tickSize: number;
  elapsedMs: number;
  /** The limit-chase child: not yet started, running, or finished (its deadline acted). */
  chase: 'idle' | 'running' | 'done';
  /** This incarnation was restored after a restart (so the order may already be at the broker). */
  recovered: boolean;
  /** Send attempts the store has recorded for this order (each one before its placeOrder left). */
  sendAttempt: number;
  /** The last attempt a lookup in this incarnation found absent at the broker (0: none). */
  absentAttempt: number;
  /** Why the last modify was refused (pre-trade checks with the new terms), or null. */
  modifyRefusal: string | null;
  /** TWAP: how many slices have been issued as child orders. */
  slicesIssued: number;
  /** TWAP: each issued slice's clientOrderId and its state ('open' until it ends). */
  slices: Record<string, string>;
}

export type OrderEvent =
  // From the connection: orders may be sent again.
  | { type: 'connection.ready' }
  // From the submission actor and the broker.
  | { type: 'broker.submitted'; ibOrderId: number }
  | { type: 'broker.acknowledged'; status: string }
  | { type: 'broker.fill'; fill: Fill }
  | { type: 'broker.cancelled'; reason?: string }
  | { type: 'broker.rejected'; code: number; reason: string }
  | { type: 'broker.cancelFailed'; code: number; reason: string }
  | { type: 'broker.modifyRejected'; code: number; reason: string }
  /** Commissions arrive after their execution, keyed by execId. */
  | { type: 'broker.commission'; execId: string; commission: number }
  /** Reconciliation found the order at the broker (or not) after a doubt. */
  | { type: 'reconcile.found'; ibOrderId: number; status: string; filledQuantity: number; fills: Fill[] }
  | { type: 'reconcile.notFound' }
  // From the strategy, admin or CLI.
  | { type: 'CANCEL'; reason?: string }
  /** From the order's deadline timer: the time it was given to work is up. */
  | { type: 'DEADLINE' }
  | ({ type: 'MODIFY'; reason?: string } & OrderChanges)
  // From the execution algorithm children.
  | { type: 'algo.slice'; index: number; quantity: number }
  /** From a TWAP slice (a child order of this one): its fills and its end. */
  | { type: 'child.fill'; childId: string; fill: Fill }
  | { type: 'child.done'; childId: string; state: string }
  | { type: typeof SHUTDOWN_EVENT };

/** The order types and prices a TWAP slice inherits from its parent. */
export function sliceSpec(parent: OrderSpec, clientOrderId: string, quantity: number): OrderSpec {
  // A slice ends with its parent (which cancels its open slices at the deadline), not on its own.
  const { algorithm: _algorithm, deadlineAt: _deadlineAt, ...terms } = parent;
  return { ...terms, clientOrderId, quantity, parentId: parent.clientOrderId };
}
