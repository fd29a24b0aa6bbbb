import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { OrderSpec } from '../machines/orders/orderTypes.ts';
import type { OrderAuditor } from './orderAuditor.ts';
import { errorMessage } from '../shared/errorMessage.ts';

/** Writes an injected event into its order's audit trail before delivery: null when written, else why it was refused. */
export type OrderInjectionAudit = (systemId: string, event: { type: string }, requestId: string, brokerOrigin: boolean) => Promise<string | null>;

/**
 * The runtime's InjectionAudit for order actors: the record names the order and account the live
 * actor holds, so an order that is restarting (no live actor to read) is refused for now rather
 * than audited with a guess.
 */
export function orderInjectionAudit(tree: SupervisionTree, auditor: OrderAuditor): OrderInjectionAudit {
  return async (systemId, event, requestId, brokerOrigin) => {
    const order = (tree.get(systemId)?.getSnapshot() as { context?: { order?: OrderSpec } } | undefined)?.context?.order;
    if (!order) return 'the order actor is restarting; try again';
    try {
      await auditor.injected(order, event, requestId, brokerOrigin);
      return null;
    } catch (error) {
      return `it could not be written to the order audit trail (${errorMessage(error)})`;
    }
  };
}
