import type { PoolMember } from './poolMember.ts';

/** A healthy member as a strategy sees it at the moment of choosing. */
export interface Candidate<M extends PoolMember = PoolMember> {
  readonly member: M;
  /** Position in configuration order; round robin walks this order. */
  readonly position: number;
  readonly load: number;
  /** EWMA latency in ms; `null` when the member has not answered anything yet. */
  readonly latencyMs: number | null;
}

/**
 * Candidates in round-robin order starting just after `lastPosition`. Every strategy breaks ties
 * in this order, so equally good members share the work instead of the first one taking it all.
 */
export function inTurnOrder<C extends Candidate>(candidates: readonly C[], lastPosition: number): C[] {
  const start = candidates.findIndex((candidate) => candidate.position > lastPosition);
  if (start <= 0) return [...candidates];
  return [...candidates.slice(start), ...candidates.slice(0, start)];
}

/** The first candidate (in turn order) that no later one beats; `better(a, b)` means a strictly beats b. */
function best<C extends Candidate>(ordered: readonly C[], better: (a: C, b: C) => boolean): C {
  let chosen = ordered[0];
  if (chosen === undefined) throw new Error('a strategy needs at least one candidate');
  for (const candidate of ordered) if (better(candidate, chosen)) chosen = candidate;
  return chosen;
}

export function pickRoundRobin<C extends Candidate>(candidates: readonly C[], lastPosition: number): C {
  return best(inTurnOrder(candidates, lastPosition), () => false);
}

export function pickLeastBusy<C extends Candidate>(candidates: readonly C[], lastPosition: number): C {
  return best(inTurnOrder(candidates, lastPosition), (a, b) => a.load < b.load);
}

/**
 * Lowest latency wins, but an untried member always goes first: until it has answered once we
 * know nothing about it, and never sending it anything would mean never finding out.
 */
export function pickFastest<C extends Candidate>(candidates: readonly C[], lastPosition: number): C {
  return best(inTurnOrder(candidates, lastPosition), (a, b) => {
    if (a.latencyMs === null || b.latencyMs === null) {
      if (a.latencyMs !== null) return false;
      if (b.latencyMs !== null) return true;
      return a.load < b.load;
    }
    return a.latencyMs < b.latencyMs || (a.latencyMs === b.latencyMs && a.load < b.load);
  });
}
