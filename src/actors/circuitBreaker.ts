import type { ActorRefFrom } from 'xstate';
import {
  breakerState,
  isCallPermitted,
  type CircuitBreakerMachine,
  type CircuitBreakerState,
} from '../machines/circuitBreaker/circuitBreakerMachine.ts';
import type { Now } from '../shared/clock.ts';

export type CircuitBreakerRef = ActorRefFrom<CircuitBreakerMachine>;

/** Thrown instead of making a call the breaker does not permit; the call was never attempted. */
export class CallNotPermittedError extends Error {
  override readonly name = 'CallNotPermittedError';

  constructor(
    readonly breakerName: string,
    readonly state: CircuitBreakerState,
  ) {
    super(`circuit breaker '${breakerName}' is ${state} and does not permit calls`);
  }
}

export interface GuardedCallOptions {
  /**
   * Milliseconds, used both to time the call and as its completion time for time-based
   * windows. Defaults to `performance.now()`: monotonic, so durations never go negative.
   */
  now?: Now;
  /**
   * Whether an error counts against the breaker (resilience4j's recordExceptions). Errors it
   * rejects are recorded as successes, as resilience4j does; all are rethrown either way.
   */
  isFailure?: (error: unknown) => boolean;
}

const monotonicNow = () => performance.now();
const everyError = () => true;

/**
 * Runs `fn` if the breaker permits it and reports how it went: permission, `call.started`,
 * timing and the outcome, so the breaker sees every call exactly once.
 */
export async function guardedCall<T>(
  breaker: CircuitBreakerRef,
  fn: () => T | PromiseLike<T>,
  options: GuardedCallOptions = {},
): Promise<T> {
  const now = options.now ?? monotonicNow;
  const isFailure = options.isFailure ?? everyError;
  const snapshot = breaker.getSnapshot();
  if (!isCallPermitted(snapshot)) {
    breaker.send({ type: 'call.rejected' });
    throw new CallNotPermittedError(snapshot.context.config.name, breakerState(snapshot));
  }
  breaker.send({ type: 'call.started' });
  const started = now();
  try {
    const result = await fn();
    const at = now();
    reportOutcome(breaker, { type: 'call.succeeded', durationMs: at - started, at });
    return result;
  } catch (error) {
    const at = now();
    reportOutcome(breaker, { type: isFailure(error) ? 'call.failed' : 'call.succeeded', durationMs: at - started, at });
    throw error;
  }
}

/** A call can outlive its breaker (the tree stopping while it runs): then there is nobody left to tell. */
function reportOutcome(breaker: CircuitBreakerRef, outcome: { type: 'call.succeeded' | 'call.failed'; durationMs: number; at: number }): void {
  if (breaker.getSnapshot().status === 'active') breaker.send(outcome);
}

/** A running breaker actor with resilience4j's `executeSupplier` shape: `await breaker.execute(() => connect())`. */
export class CircuitBreaker {
  constructor(
    readonly ref: CircuitBreakerRef,
    private readonly options: GuardedCallOptions = {},
  ) {}

  get name(): string {
    return this.ref.getSnapshot().context.config.name;
  }

  get state(): CircuitBreakerState {
    return breakerState(this.ref.getSnapshot());
  }

  /** Asking does not take a permit; `execute` does. */
  get isCallPermitted(): boolean {
    return isCallPermitted(this.ref.getSnapshot());
  }

  execute<T>(fn: () => T | PromiseLike<T>): Promise<T> {
    return guardedCall(this.ref, fn, this.options);
  }
}
