import type { ChildSpec } from '../../supervision/childSpec.ts';

/**
 * One thing the active node runs, built once per process from real dependencies (its constructor)
 * and started and stopped as a unit by the lease (see activeCapabilities.ts), any number of times.
 */
export interface Capability {
  /** As logs name it (start phases, a stop that failed). */
  readonly name: string;
  /**
   * Its supervised subtree for this start, or null when it has none (or is configured off). Called
   * before `start`, for every start: actors built here are fresh for each lease.
   */
  childSpec(): ChildSpec | null;
  /** What it needs beyond its actors, once the `active` supervisor runs them. */
  start(): Promise<void>;
  /** Undoes `start`; called in reverse start order, before the `active` supervisor is stopped. */
  stop(): Promise<void>;
}
