import type { FailoverCluster, FailoverNode } from './_failoverNodes.ts';
import type { FailoverFault, ScheduledFailover } from './_failoverSchedule.ts';
import { sleep, until } from './_time.ts';

/** A fault after which nobody answers `/active` within this long is a failure (and the run goes on). */
export const TAKEOVER_GIVE_UP_MS = 30_000;
export const HEALTHY_TIMEOUT_MS = 60_000;

export interface FaultWorld {
  cluster: FailoverCluster;
  ttlMs: number;
  /** Takeover (or handover) times by kind, from the fault to another node answering `/active`. */
  measured: Record<FailoverFault, number[]>;
  /** The same, one line per fault, to name the fault that missed a target. */
  timings: { kind: FailoverFault; ms: number; line: string }[];
  injected: Record<FailoverFault, number>;
  /** Whether the simulator still has an open session that was this node's. */
  hasOpenSession(nodeId: string): boolean;
  /** Starts the node's slot again (its next generation). */
  replace(node: FailoverNode): Promise<void>;
  /** Resolves with the active node once three ready nodes have exactly one active; null after HEALTHY_TIMEOUT_MS. */
  waitHealthy(): Promise<FailoverNode | null>;
  log(line: string): void;
  problem(line: string): void;
}

const VERB: Record<FailoverFault, string> = { kill: 'kill -9', pause: 'SIGSTOP', handover: 'SIGTERM' };

/**
 * One fault on the active node, once the cluster is healthy and the gap has passed: kill -9,
 * SIGSTOP past the lease TTL then SIGCONT (it must step down and drop its gateway session), or
 * SIGTERM (it must exit 0). Timed until another node answers `/active`; a node that left is
 * replaced, so three are always configured.
 */
export async function injectFailover(world: FaultWorld, fault: ScheduledFailover, label: string): Promise<void> {
  const { cluster } = world;
  if (!(await world.waitHealthy())) return world.problem(`${label}: the cluster was not healthy (three ready nodes, one active) within ${HEALTHY_TIMEOUT_MS} ms; skipped`);
  await sleep(fault.gapMs);
  const actives = await cluster.activeNodes();
  if (actives.length !== 1) return world.problem(`${label}: ${actives.length} nodes answered /active before the fault (${actives.map((n) => n.nodeId).join(', ')}); skipped`);
  const victim = actives[0]!;
  const steppedDownBefore = victim.facts.steppedDown.length;
  const startedAt = Date.now();
  if (fault.kind === 'kill') victim.kill9();
  else if (fault.kind === 'pause') victim.pause();
  else victim.terminate();
  world.injected[fault.kind] += 1;
  const next = await cluster.waitForNewActive(victim, TAKEOVER_GIVE_UP_MS);
  if (next) {
    const ms = next.at - startedAt;
    world.measured[fault.kind].push(ms);
    const line = `${label}: ${VERB[fault.kind]} ${victim.nodeId} (pid ${victim.pid}) -> ${next.node.nodeId} active in ${ms} ms`;
    world.timings.push({ kind: fault.kind, ms, line });
    world.log(`# ${line}`);
  } else {
    world.problem(`${label}: no other node answered /active within ${TAKEOVER_GIVE_UP_MS} ms after ${VERB[fault.kind]} of ${victim.nodeId}`);
  }

  if (fault.kind === 'pause') {
    // Longer than the TTL in any case, and until the takeover was seen (or given up on).
    await sleep(Math.max(0, startedAt + world.ttlMs + fault.pauseExtraMs - Date.now()));
    victim.resume();
    const pausedMs = Date.now() - startedAt;
    const down = await until(() => victim.facts.steppedDown.length > steppedDownBefore, 15_000);
    if (!down) return world.problem(`${label}: ${victim.nodeId}, woken after ${pausedMs} ms, did not log "lease lost: stepping down" within 15 s`);
    const closed = await until(() => !world.hasOpenSession(victim.nodeId), 10_000);
    if (!closed) world.problem(`${label}: ${victim.nodeId} stepped down but kept its gateway session open for 10 s`);
    world.log(`#   ${victim.nodeId} woken after ${pausedMs} ms: stepped down (${victim.facts.steppedDown.at(-1)!.reason}); gateway session ${closed ? 'closed' : 'STILL OPEN'}`);
    return;
  }
  const code = await victim.waitExit(fault.kind === 'kill' ? 10_000 : 30_000);
  if (fault.kind === 'handover' && code !== 0) world.problem(`${label}: ${victim.nodeId} did not exit 0 after SIGTERM (${code}); last lines:\n${victim.lastLines(10).join('\n')}`);
  await world.replace(victim).catch((error: Error) => world.problem(`${label}: could not start a node in place of ${victim.nodeId}: ${error.message}`));
}
