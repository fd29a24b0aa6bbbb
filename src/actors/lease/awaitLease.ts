import type { Redis } from 'ioredis';
import { fromCallback, type AnyEventObject } from 'xstate';
import { holderNodeId } from '../../lease/leaseStore.ts';
import type { LeaseInput } from '../../machines/lease/leaseTypes.ts';
import { localValidityMs, standbyPollMs } from '../../lease/leaseTiming.ts';
import type { LeaseActorDeps } from './holdLease.ts';

export interface AwaitLeaseDeps extends LeaseActorDeps {
  /** A connection of its own for the release channel (a subscribed connection can send nothing else). */
  subscriber: () => Redis;
}

/**
 * A standby's wait: tries for the lease every poll interval and at once when the holder
 * announces a release. Holding it, sets the fence before telling the machine, so nothing can run
 * as active without a token.
 */
export function awaitLeaseActor(deps: AwaitLeaseDeps) {
  const now = deps.now ?? (() => performance.now());
  return fromCallback<AnyEventObject, LeaseInput>(({ input, sendBack }) => {
    let stopped = false;
    let trying = false;
    let timer: NodeJS.Timeout | null = null;
    let lastHolder: string | null | undefined;
    const subscriber = deps.subscriber();
    subscriber.on('error', (error: Error) => deps.logger.debug('lease subscriber error', { error: error.message }));

    const schedule = (ms: number) => {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(attempt, ms);
    };
    const attempt = async () => {
      if (stopped || trying) return;
      trying = true;
      const sentAt = now();
      try {
        const outcome = await deps.store.acquire(input.nodeId, deps.timing.ttlMs);
        if (outcome.acquired) {
          // Won after this actor was stopped: not ours to keep, give it straight back.
          if (stopped) return void (await deps.store.release(outcome.value).catch(() => undefined));
          deps.fence.hold(outcome.token, sentAt + localValidityMs(deps.timing));
          sendBack({ type: 'lease.acquired', token: outcome.token, value: outcome.value });
          return;
        }
        const holder = holderNodeId(outcome.holder);
        if (holder !== lastHolder) {
          lastHolder = holder;
          deps.logger.info('standby: another node is active', { namespace: input.namespace, nodeId: input.nodeId, activeNodeId: holder });
          sendBack({ type: 'lease.seen', holder });
        }
      } catch (error) {
        deps.logger.debug('lease acquisition attempt failed', { error: (error as Error).message });
      } finally {
        trying = false;
      }
      schedule(standbyPollMs(deps.timing));
    };

    subscriber.on('message', () => void attempt());
    subscriber.subscribe(deps.store.releasedChannel).catch((error: Error) => deps.logger.debug('lease subscribe failed', { error: error.message }));
    void attempt();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      subscriber.disconnect();
    };
  });
}
