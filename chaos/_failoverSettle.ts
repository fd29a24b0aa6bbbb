import type { ConnectionRecord, Execution, SimOrder } from '../src/sim/index.ts';
import type { LiveOrderTracker } from './_liveOrders.ts';
import { isTerminalState, type RuntimeRecords } from './_runtimeRecords.ts';
import type { ChaosStrategy } from './_strategy.ts';
import { sleep } from './_time.ts';
import { SettleGate } from './_settleGate.ts';

/** Once every order has ended, how long fills still unpublished are waited for. */
/** A resting order still working is cancelled at most this often at the end of the session. */
const CANCEL_AGAIN_MS = 5_000;

const brokerDone = (order: SimOrder) => order.status === 'Filled' || order.status === 'Cancelled' || order.status === 'Inactive';

/**
 * Orders working at the broker under an IB client id that the active node's session is not: after
 * a takeover on a fallback id, the old id's orders can be neither cancelled nor modified by the
 * new session (IB refuses; the runtime records a foreign_client_order break instead). They stay
 * working until an operator acts in TWS: left so, they are not lost. Keyed by the requested
 * order (`ownerOf` maps a broker orderRef, e.g. a TWAP slice, to it), with why.
 */
export function strandedOrders(
  activeNodeId: string | null,
  connections: readonly ConnectionRecord[],
  owners: ReadonlyMap<number, string>,
  brokerOrders: readonly SimOrder[],
  ownerOf: (orderRef: string) => string | undefined,
): Map<string, string> {
  const stranded = new Map<string, string>();
  if (activeNodeId === null) return stranded;
  const sessions = new Set(connections.filter((c) => c.status === 'accepted' && c.closedAt === undefined && owners.get(c.connectionId) === activeNodeId).map((c) => c.clientId!));
  if (sessions.size === 0) return stranded;
  for (const order of brokerOrders) {
    if (brokerDone(order) || sessions.has(order.clientId)) continue;
    const owner = ownerOf(order.orderRef);
    if (owner === undefined) continue;
    stranded.set(owner, `working under IB client id ${order.clientId} (order ${order.orderId}); the active node ${activeNodeId} is client id ${[...sessions].join(', ')}`);
  }
  return stranded;
}

export interface SettleWorld {
  strategy: ChaosStrategy;
  tracker: LiveOrderTracker;
  records: RuntimeRecords;
  runId: string;
  executions(): readonly Execution[];
  readStore(): Promise<void>;
  /** The orders rightly left working under another client id now (see strandedOrders). */
  stranded(): Promise<Map<string, string>>;
  note(line: string): void;
  /** A failure (a job no node took). */
  problem(line: string): void;
}

/**
 * Every order gets to finish: plan steps still due are taken, resting limits and stops still
 * working are cancelled (and so is a limit-chase well past its deadline), and the fills are given
 * time to be published. Orders stranded under another client id are not waited for.
 */
export async function settle(world: SettleWorld, timeoutMs: number): Promise<{ pending: string[]; stranded: Map<string, string> }> {
  const { strategy, tracker, records } = world;
  const deadline = Date.now() + timeoutMs;
  const startedAt = Date.now();
  const lastCancel = new Map<string, number>();
  let stranded = new Map<string, string>();
  let pending: string[] = [];
  const gate = new SettleGate();
  while (Date.now() < deadline) {
    await strategy.runDueSteps(new Set()).catch((error: Error) => world.problem(`order intake: ${error.message}`));
    stranded = await world.stranded();
    if (Date.now() - startedAt > 1_000) {
      for (const order of strategy.requested.values()) {
        const id = order.clientOrderId;
        if (!tracker.isLive(id) || stranded.has(id) || Date.now() - (lastCancel.get(id) ?? 0) < CANCEL_AGAIN_MS) continue;
        const overdueChase = order.job.algorithm?.kind === 'limitChase' && Date.now() > order.submittedAt + order.job.algorithm.deadlineMs + 3_000;
        if (order.kind !== 'LMT' && order.kind !== 'STP' && !overdueChase) continue;
        if (overdueChase && !lastCancel.has(id)) world.note(`${id} (limit-chase) still working at the broker past its deadline; cancelled at the end of the session`);
        lastCancel.set(id, Date.now());
        await strategy.cancel(id).catch((error: Error) => world.problem(`order intake: ${error.message}`));
      }
    }
    await world.readStore().catch(() => undefined);
    pending = [...strategy.requested.keys()].filter((id) => !stranded.has(id) && (!isTerminalState(records.latest.get(id)?.state ?? '') || tracker.isLive(id)));
    const unpublished = world.executions().filter((e) => e.orderRef.startsWith(`${world.runId}.`) && !records.published.has(e.execId)).length;
    if (gate.settled(pending.length, unpublished)) break;
    await sleep(250);
  }
  // Late fills and commissions: give the consumer a moment to see the last of them.
  await sleep(500);
  await world.readStore().catch(() => undefined);
  return { pending, stranded };
}
