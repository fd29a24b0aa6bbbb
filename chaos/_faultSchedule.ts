import type { SeededRandom } from '../src/shared/seededRandom.ts';

export const FAULT_KINDS = ['process_kill', 'actor_crash', 'redis_client_kill', 'redis_wipe', 'gateway', 'forged_input'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const GATEWAY_FAULTS = ['drop', 'halfOpen', 'connectivityLost'] as const;
export type GatewayFault = (typeof GATEWAY_FAULTS)[number];

export interface ScheduledFault {
  /** From the start of the order stream. */
  atMs: number;
  kind: FaultKind;
  /** For `gateway`: which one. */
  gateway?: GatewayFault;
}

/** How many fault events of each kind (for `forged_input`: bursts of forged and malformed requests). */
export type FaultCounts = Record<FaultKind, number>;

/**
 * The run's faults, at random moments within [fromMs, toMs) from the seeded `rng`: the same seed
 * gives the same schedule. Gateway faults take turns (drop, half-open, 1100 → 1101) from a random
 * first one, so three of them cover all three.
 */
export function faultSchedule(rng: SeededRandom, counts: FaultCounts, fromMs: number, toMs: number): ScheduledFault[] {
  const faults: ScheduledFault[] = [];
  const firstGateway = rng.int(0, GATEWAY_FAULTS.length - 1);
  for (const kind of FAULT_KINDS) {
    for (let n = 0; n < counts[kind]; n++) {
      const atMs = Math.floor(fromMs + rng.next() * (toMs - fromMs));
      faults.push(kind === 'gateway' ? { atMs, kind, gateway: GATEWAY_FAULTS[(firstGateway + n) % GATEWAY_FAULTS.length]! } : { atMs, kind });
    }
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}
