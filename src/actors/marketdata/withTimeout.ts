import type { TimerClock } from '../../shared/clock.ts';

export class SubscribeTimeoutError extends Error {
  override readonly name = 'SubscribeTimeoutError';
}

/** Rejects if `work` has not settled within `ms` on `clock`, so a hung start counts as a failed call. */
export function withTimeout<T>(work: Promise<T>, ms: number, clock: TimerClock, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new SubscribeTimeoutError(`${what} did not complete within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
