import { AsyncLocalStorage } from 'node:async_hooks';
import type { AnyActorRef } from 'xstate';
import type { Logger } from '../log/logger.ts';

/** Delivered to a contained actor to make an exception from its async code fail it. */
export const ASYNC_FAILURE_EVENT = 'tradewire.asyncFailure';

export interface ActorOwner {
  ref: AnyActorRef;
  /** Fails the owning actor as if it had thrown, so its supervisor handles it. */
  fail(error: Error): void;
}

/**
 * Which actor owns the code running now. Node keeps the store across timers, sockets and
 * promises created inside `run`, and still has it in the 'uncaughtException' handler.
 */
export const actorContext = new AsyncLocalStorage<ActorOwner>();

/**
 * The process-wide net: an exception escaping an actor's async callback fails that actor (so its
 * supervisor restarts it); anything else is logged and the process goes on.
 */
export function installAsyncContainment(logger: Logger): () => void {
  const onException = (error: Error) => {
    const owner = actorContext.getStore();
    if (owner && owner.ref.getSnapshot().status === 'active') {
      const systemId = (owner.ref as { systemId?: string }).systemId ?? owner.ref.id;
      logger.error('async exception in actor code; failing the actor', { systemId, error: error.message, stack: error.stack });
      owner.fail(error);
      return;
    }
    logger.error('uncaught exception outside any actor; contained', { error: error.message, stack: error.stack });
  };
  const onRejection = (reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    onException(error);
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
