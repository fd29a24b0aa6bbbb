import type { FastifyReply } from 'fastify';
import type { RuntimeView } from './runtimeView.ts';
import { apiError } from './apiError.ts';

/**
 * Refuses a read that only the active node's memory can answer (positions, prices) on a standby:
 * 503 `not_active`, naming the node to ask. Answers the reply and returns true when refused; a view
 * without a lease counts as active. Reads of what Redis holds (orders, fills) never come here.
 */
export function readRefusedOnStandby(view: RuntimeView, reply: FastifyReply, what: string): boolean {
  const node = view.nodeRole?.();
  if (!node || node.role === 'active') return false;
  const where = node.activeNodeId ? `ask the active node, ${node.activeNodeId}` : 'no node holds the lease right now';
  void reply
    .code(503)
    .header('retry-after', '1')
    .send(apiError('not_active', `this node (${node.nodeId}) is a standby in namespace ${node.namespace} and does not hold ${what}; ${where}`));
  return true;
}
