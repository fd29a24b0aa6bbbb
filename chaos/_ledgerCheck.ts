import type { Execution, SimOrder } from '../src/sim/index.ts';
import type { DoubleLive } from './_liveOrders.ts';
import { isTerminalState, type RuntimeRecords } from './_runtimeRecords.ts';

export interface RequestedOrder {
  clientOrderId: string;
  kind: string;
  quantity: number;
  /** Ids a TWAP's slices would have (its child orders' orderRefs). */
  childIds: readonly string[];
}

export interface LedgerCheckInput {
  requested: ReadonlyMap<string, RequestedOrder>;
  /** The simulator's executions ledger. */
  executions: readonly Execution[];
  /** Every order the simulator's broker accepted, in its final state. */
  brokerOrders: readonly SimOrder[];
  doubleLive: readonly DoubleLive[];
  records: RuntimeRecords;
  /**
   * Orders that may rightly be left open and working at the broker, with why (after a takeover on
   * a fallback IB client id, the old client id's orders cannot be cancelled by the new session):
   * their being unfinished is listed in `excused`, not counted. Everything else is still checked.
   */
  excused?: ReadonlyMap<string, string>;
}

export interface LedgerCheck {
  /** An order of which the runtime kept no trace, or a broker execution never published on `fills`. */
  lost: number;
  /** Two live broker orders under one orderRef, more executed than requested, or one execution published twice. */
  duplicated: number;
  /** A fill booked that the broker did not make, or booked on an order that did not make it. */
  phantom: number;
  /** Any other disagreement between the runtime's word and the broker's. */
  unexplained: number;
  /** One line per counted problem, naming the order, execution or broker order. */
  findings: string[];
  /** One line per excused order left unfinished (see `LedgerCheckInput.excused`). */
  excused: string[];
}

const brokerDone = (order: SimOrder) => order.status === 'Filled' || order.status === 'Cancelled' || order.status === 'Inactive';

/**
 * The broker's records against the runtime's: at most one live broker order per orderRef at any
 * moment, never more executed than asked, every execution booked (published on `fills`) exactly
 * once and under the order that made it, and each order's final state agreeing with what the
 * broker did.
 */
export function checkAgainstLedger(input: LedgerCheckInput): LedgerCheck {
  const { requested, records } = input;
  const findings: string[] = [];
  const excused: string[] = [];
  const counts = { lost: 0, duplicated: 0, phantom: 0, unexplained: 0 };
  const find = (kind: keyof typeof counts, line: string) => {
    counts[kind] += 1;
    findings.push(`${kind}: ${line}`);
  };

  const childParent = new Map<string, string>();
  for (const order of requested.values()) for (const child of order.childIds) childParent.set(child, order.clientOrderId);
  /** The requested order an orderRef belongs to: itself, or the parent of a child order. */
  const ownerOf = (orderRef: string): string | undefined => {
    if (requested.has(orderRef)) return orderRef;
    const parent = records.parentOf.get(orderRef) ?? childParent.get(orderRef);
    return parent !== undefined && requested.has(parent) ? parent : undefined;
  };
  const ledger = new Map(input.executions.map((e) => [e.execId, e]));

  const doubled = new Map<string, DoubleLive>();
  for (const violation of input.doubleLive) {
    const owner = ownerOf(violation.orderRef) ?? violation.orderRef;
    if (!doubled.has(owner)) doubled.set(owner, violation);
  }
  for (const [owner, v] of doubled) {
    find('duplicated', `${owner}: broker orders ${v.brokerOrders.join(', ')} live at once under orderRef ${v.orderRef} (${new Date(v.at).toISOString()})`);
  }

  const executed = new Map<string, number>();
  for (const execution of input.executions) {
    const owner = ownerOf(execution.orderRef);
    if (owner === undefined) {
      find('unexplained', `execution ${execution.execId} (${execution.qty} ${execution.symbol}) under orderRef ${JSON.stringify(execution.orderRef)}, which no requested order owns`);
      continue;
    }
    executed.set(owner, (executed.get(owner) ?? 0) + execution.qty);
    const publications = records.published.get(execution.execId);
    if (!publications || publications.size === 0) {
      const stored = records.storedFills.get(execution.execId);
      const where = stored ? `the order store has it (${[...stored].join(', ')}) but it was never published on fills` : 'the runtime never booked it';
      find('lost', `execution ${execution.execId} of ${owner} (orderRef ${execution.orderRef}, ${execution.qty} @ ${execution.price}): ${where}`);
    } else if (publications.size > 1) {
      find('duplicated', `execution ${execution.execId} of ${owner} published on fills ${publications.size} times (jobs ${[...publications.keys()].join(', ')})`);
    }
  }

  const phantoms = new Set<string>();
  const phantom = (execId: string, bookedOn: string, why: string) => {
    if (phantoms.has(`${execId}@${bookedOn}`)) return;
    phantoms.add(`${execId}@${bookedOn}`);
    find('phantom', `${bookedOn}: booked execution ${execId}, ${why}`);
  };
  for (const [execId, publications] of records.published) {
    const made = ledger.get(execId);
    for (const publication of publications.values()) {
      if (!made) phantom(execId, publication.clientOrderId, `published on fills (job ${publication.jobId}) but the broker never made it`);
      else if (ownerOf(made.orderRef) !== publication.clientOrderId) {
        phantom(execId, publication.clientOrderId, `published on fills (job ${publication.jobId}) but the broker made it for orderRef ${made.orderRef}`);
      } else if (publication.quantity > made.qty) {
        find('unexplained', `${publication.clientOrderId}: execution ${execId} published for ${publication.quantity}, the broker executed ${made.qty}`);
      }
    }
  }
  for (const [execId, orders] of records.storedFills) {
    const made = ledger.get(execId);
    for (const order of orders) {
      if (!made) phantom(execId, order, 'in its stored fills but the broker never made it');
      else if (made.orderRef !== order && ownerOf(made.orderRef) !== order) phantom(execId, order, `in its stored fills but the broker made it for orderRef ${made.orderRef}`);
    }
  }
  for (const { clientOrderId, execId } of records.storedTwice) find('duplicated', `${clientOrderId}: execution ${execId} twice in its stored fills`);

  const liveAtBroker = new Map<string, SimOrder[]>();
  for (const order of input.brokerOrders) {
    if (brokerDone(order)) continue;
    const owner = ownerOf(order.orderRef) ?? order.orderRef;
    liveAtBroker.set(owner, [...(liveAtBroker.get(owner) ?? []), order]);
  }

  for (const order of requested.values()) {
    const id = order.clientOrderId;
    const done = executed.get(id) ?? 0;
    if (done > order.quantity) find('duplicated', `${id} (${order.kind}): executed ${done} of ${order.quantity} requested`);
    const known = records.latest.get(id);
    const working = liveAtBroker.get(id) ?? [];
    if (!known) {
      if (done === 0 && working.length === 0) find('lost', `${id} (${order.kind}): the runtime never recorded it and the broker never saw it`);
      else find('unexplained', `${id} (${order.kind}): the broker executed ${done} but the runtime has no record of it`);
      continue;
    }
    const excuse = input.excused?.get(id);
    if (excuse !== undefined && (!isTerminalState(known.state) || working.length > 0)) {
      excused.push(`${id} (${order.kind}): ${known.state} in the store, ${working.length} broker order(s) working: ${excuse}`);
      continue;
    }
    if (!isTerminalState(known.state)) {
      find('unexplained', `${id} (${order.kind}): still ${known.state} after the settle time (filled ${known.filled}, executed ${done})`);
      continue;
    }
    if (working.length > 0) {
      const ids = working.map((o) => `${o.clientId}/${o.orderId} (${o.orderRef}, ${o.status})`).join(', ');
      find('unexplained', `${id} (${order.kind}): the runtime says ${known.state}, but ${ids} still working at the broker`);
    }
    if (known.state === 'filled' && done !== order.quantity) {
      find('unexplained', `${id} (${order.kind}): the runtime says filled, the broker executed ${done} of ${order.quantity}`);
    } else if (known.state !== 'filled' && known.filled !== done) {
      find('unexplained', `${id} (${order.kind}): the runtime says ${known.state} with ${known.filled} filled, the broker executed ${done}`);
    }
  }
  return { ...counts, findings, excused };
}
