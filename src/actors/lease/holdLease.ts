import { fromCallback, type AnyEventObject } from 'xstate';
import type { Logger } from '../../log/logger.ts';
import type { Fence } from '../../lease/fence.ts';
import type { LeaseStore } from '../../lease/leaseStore.ts';
import type { HoldInput } from '../../machines/lease/leaseTypes.ts';
import { localValidityMs, type LeaseTiming } from '../../lease/leaseTiming.ts';
import type { Now } from '../../shared/clock.ts';

/** What both lease actors work with. */
export interface LeaseActorDeps {
  store: LeaseStore;
  fence: Fence;
  timing: LeaseTiming;
  logger: Logger;
  /** A monotonic clock in ms (tests pass a simulated one). */
  now?: Now;
}

/**
 * The active node's renewals: compare-and-extend every renew interval. The lease is lost when a
 * renewal is refused, when no renewal succeeded before the local deadline (a pause, a stall, a
 * partition: the deadline timer fires as soon as the process runs again), or when Redis refused a
 * fenced write.
 */
export function holdLeaseActor(deps: LeaseActorDeps) {
  const now = deps.now ?? (() => performance.now());
  return fromCallback<AnyEventObject, HoldInput>(({ input, sendBack }) => {
    let done = false;
    let renewing = false;
    let deadline: NodeJS.Timeout | null = null;
    const lose = (reason: string) => {
      if (done) return;
      done = true;
      // Before anything else hears of it: no send may leave from here on.
      deps.fence.drop();
      sendBack({ type: 'lease.lost', reason });
    };
    const armDeadline = (validUntil: number) => {
      if (deadline) clearTimeout(deadline);
      deadline = setTimeout(() => lose(`no renewal succeeded within ${localValidityMs(deps.timing)} ms (paused, stalled or cut off from Redis)`), Math.max(0, validUntil - now()));
    };
    armDeadline(now() + localValidityMs(deps.timing));

    const renew = async () => {
      if (done || renewing) return;
      renewing = true;
      const sentAt = now();
      try {
        const renewed = await deps.store.extend(input.value, deps.timing.ttlMs);
        if (done) return;
        if (!renewed) return lose(`the lease (token ${input.token}) is no longer this node's`);
        const validUntil = sentAt + localValidityMs(deps.timing);
        // A reply that took longer than the validity arrives already stale.
        if (validUntil <= now()) return lose('a renewal was answered after the lease had expired locally');
        deps.fence.extendUntil(validUntil);
        armDeadline(validUntil);
      } catch (error) {
        // Keep trying until the deadline: a blip in Redis need not cost the lease.
        deps.logger.debug('lease renewal failed; retrying', { error: (error as Error).message });
      } finally {
        renewing = false;
      }
    };
    const interval = setInterval(() => void renew(), deps.timing.renewMs);
    const offFenced = deps.fence.onFenced((reason) => lose(`Redis refused a write as fenced: ${reason}`));
    return () => {
      done = true;
      clearInterval(interval);
      if (deadline) clearTimeout(deadline);
      offFenced();
    };
  });
}
