import type { SeededRandom } from '../src/shared/seededRandom.ts';
import { AdminClient } from './_admin.ts';
import type { FailoverCluster } from './_failoverNodes.ts';
import type { JobSender } from './_strategy.ts';
import { sleep } from './_time.ts';

/** What the intake saw: how many jobs each node took, and how many attempts went unanswered or were turned away. */
export interface IntakeStats {
  /** Jobs taken, by the node that took them. */
  taken: Map<string, number>;
  /** Jobs taken, by type. */
  byType: { new: number; cancel: number; modify: number };
  retried: number;
}

export const newIntakeStats = (): IntakeStats => ({ taken: new Map(), byType: { new: 0, cancel: 0, modify: 0 }, retried: 0 });

/** How long one request may take before the next node is tried (a paused node never answers). */
const REQUEST_TIMEOUT_MS = 1_500;

/** A job nobody takes within this long is a failure of the run, not something to wait out. */
const GIVE_UP_MS = 30_000;

/** After no answer (or a 5xx), a node is left out for this long, as a load balancer's passive health check would. */
const DOWN_FOR_MS = 3_000;

/** The admin route for a job: new orders, cancels and modifies each have their own. */
export function routeOf(job: Record<string, unknown>): { path: string; json?: unknown } {
  const id = encodeURIComponent(String(job.clientOrderId));
  if (job.type === 'cancel') return { path: `/orders/${id}/cancel` };
  if (job.type === 'modify') {
    const { type: _type, clientOrderId: _id, ...changes } = job;
    return { path: `/orders/${id}/modify`, json: changes };
  }
  return { path: '/orders', json: job };
}

/**
 * Sends each job through `POST /orders` (or its cancel / modify route) of any configured node,
 * picked at random, as a client behind a load balancer would: every node takes intake (a
 * standby only enqueues; the active node takes the jobs). The client knows nothing of the faults:
 * a request may reach a node as it is killed, paused or stopping. No answer, or a 5xx, and the
 * next node is tried (and the silent one left out for a while); so is it after a 400, which is
 * reported (the job passed the queue's own schema). Sending again a job that may have been taken is what a client must be able to
 * do: new orders are idempotent by clientOrderId, and so are cancels.
 */
export function adminJobSender(cluster: FailoverCluster, token: string, rng: SeededRandom, stats: IntakeStats, problem: (line: string) => void): JobSender {
  const downUntil = new Map<string, number>();
  return async (jobs) => {
    for (const job of jobs) {
      const { path, json } = routeOf(job);
      const deadline = Date.now() + GIVE_UP_MS;
      let last = '';
      for (;;) {
        const configured = cluster.configured();
        const healthy = configured.filter((node) => (downUntil.get(node.nodeId) ?? 0) <= Date.now());
        const candidates = healthy.length > 0 ? healthy : configured;
        for (let i = candidates.length - 1; i > 0; i--) {
          const j = rng.int(0, i);
          [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
        }
        let taken = false;
        for (const node of candidates) {
          const url = node.adminUrl!;
          const answer = await new AdminClient(() => url, token).call(path, { ...(json !== undefined ? { json } : {}), timeoutMs: REQUEST_TIMEOUT_MS });
          // 409 duplicate_order: an earlier attempt that went unanswered got the order in (the API keeps a clientOrderId once).
          if (answer.status === 202 || (answer.status === 409 && path === '/orders')) {
            stats.taken.set(node.nodeId, (stats.taken.get(node.nodeId) ?? 0) + 1);
            stats.byType[job.type === 'cancel' ? 'cancel' : job.type === 'modify' ? 'modify' : 'new'] += 1;
            taken = true;
            break;
          }
          // The strategy checked the job against the queue's own schema: a 400 for it is the node's mistake (a
          // client would drop the order as invalid). It is a failure, and the job goes to another node.
          if (answer.status === 400) problem(`${node.nodeId} answered 400 to a valid ${path} (a client would drop the order): ${answer.body.slice(0, 300)}`);
          stats.retried += 1;
          downUntil.set(node.nodeId, Date.now() + DOWN_FOR_MS);
          last = `${node.nodeId} answered ${answer.status || 'nothing'}: ${answer.body.slice(0, 200)}`;
        }
        if (taken) break;
        if (Date.now() > deadline) throw new Error(`no node took ${path} within ${GIVE_UP_MS} ms (last: ${last || 'no node was up'})`);
        await sleep(100);
      }
    }
  };
}
