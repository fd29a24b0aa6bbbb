import type { ActorSystem, AnyActorRef } from 'xstate';

type AnyActorSystem = ActorSystem<any>;

/** Past this many ids for one actor, fall back to the scheduler's own scan (ids are normally per delayed transition). */
const MAX_IDS_PER_ACTOR = 1_000;

/**
 * XState's scheduler cancels an actor's delayed events, when the actor stops, by scanning every
 * delayed event in the system. One tree holds thousands of order actors, each stopping helpers
 * and then itself while the others hold their acknowledgement timers: the scans make starting and
 * finishing orders quadratic. This keeps the ids each actor scheduled, so stopping an actor
 * cancels just its own. Scheduling and firing are untouched.
 */
export function indexScheduler(system: AnyActorSystem): void {
  const scheduler = system.scheduler;
  const schedule = scheduler.schedule.bind(scheduler);
  const cancel = scheduler.cancel.bind(scheduler);
  const scanAll = scheduler.cancelAll.bind(scheduler);
  const idsOf = new Map<AnyActorRef, Set<string>>();
  const overflowed = new Set<AnyActorRef>();

  scheduler.schedule = (source, target, event, delay, id = Math.random().toString(36).slice(2)) => {
    if (!overflowed.has(source)) {
      let ids = idsOf.get(source);
      if (!ids) idsOf.set(source, (ids = new Set()));
      ids.add(id);
      if (ids.size > MAX_IDS_PER_ACTOR) {
        // Random ids that pile up (delayed sends without an id): let XState's scan handle this actor.
        idsOf.delete(source);
        overflowed.add(source);
      }
    }
    schedule(source, target, event, delay, id);
  };
  scheduler.cancel = (source, id) => {
    idsOf.get(source)?.delete(id);
    cancel(source, id);
  };
  scheduler.cancelAll = (source) => {
    if (overflowed.delete(source)) return scanAll(source);
    const ids = idsOf.get(source);
    if (!ids) return;
    idsOf.delete(source);
    // Ids that already fired are gone from the scheduler; cancelling them is a no-op.
    for (const id of ids) cancel(source, id);
  };
}
