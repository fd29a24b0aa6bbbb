import { fromCallback, type EventObject, type NonReducibleUnknown } from 'xstate';
import { ASYNC_FAILURE_EVENT, actorContext } from '../supervision/asyncContainment.ts';

type CallbackFn<TEvent extends EventObject, TInput, TEmitted extends EventObject> = Parameters<
  typeof fromCallback<TEvent, TInput, TEmitted>
>[0];

/**
 * `fromCallback` whose async code (socket handlers, timers, promise chains) runs in the actor's
 * context: an exception thrown there fails this actor, and through it its parent machine, so the
 * supervisor restarts them instead of the process dying.
 */
export function containedCallback<TEvent extends EventObject, TInput = NonReducibleUnknown, TEmitted extends EventObject = EventObject>(
  body: CallbackFn<TEvent, TInput, TEmitted>,
) {
  return fromCallback<TEvent, TInput, TEmitted>((args) => {
    let userReceiver: ((event: TEvent) => void) | undefined;
    args.receive((event) => {
      const failure = event as unknown as { type: string; error?: unknown };
      if (failure.type === ASYNC_FAILURE_EVENT) throw failure.error;
      userReceiver?.(event);
    });
    const owner = { ref: args.self, fail: (error: Error) => args.self.send({ type: ASYNC_FAILURE_EVENT, error } as unknown as TEvent) };
    return actorContext.run(owner, () =>
      body({ ...args, receive: (listener) => void (userReceiver = listener) }),
    );
  });
}
