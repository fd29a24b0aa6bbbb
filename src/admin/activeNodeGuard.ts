import type { FastifyReply } from 'fastify';
import type { RuntimeView } from './runtimeView.ts';
import { apiError } from './apiError.ts';

/**
 * Refuses an action that writes the namespace's shared state (orders, breaks, dead letters) on a
 * standby node: only the lease holder writes, so the caller is sent to it instead. Answers the
 * reply and returns true when refused; a view without a lease counts as active.
 */
export function refusedOnStandby(view: RuntimeView, reply: FastifyReply): boolean {
  const node = view.nodeRole?.();
  if (!node || node.role === 'active') return false;
  const where = node.activeNodeId ? `the active node is ${node.activeNodeId}` : 'no node holds the lease right now';
  void reply
    .code(503)
    .header('retry-after', '1')
    .send(apiError('standby', `this node (${node.nodeId}) is a standby in namespace ${node.namespace}; ${where}: send the request to the active node`));
  return true;
}
