import type { PoolMember } from '../../../src/ib/pool/index.ts';

/** A pool member whose health and load the test sets directly. */
export interface FakeMember extends PoolMember {
  healthy: boolean;
  busy: number;
}

export function fakeMember(id: string, healthy = true, busy = 0): FakeMember {
  return {
    id,
    healthy,
    busy,
    isHealthy() {
      return this.healthy;
    },
    inFlight() {
      return this.busy;
    },
  };
}

export function fakeMembers(...ids: string[]): FakeMember[] {
  return ids.map((id) => fakeMember(id));
}

/** A clock the test moves by hand. */
export function manualClock(start = 0) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

/** A promise the test settles when it chooses, to hold a request in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
