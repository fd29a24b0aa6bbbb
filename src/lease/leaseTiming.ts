export interface LeaseTiming {
  ttlMs: number;
  renewMs: number;
}

/**
 * How long after a renewal (or acquisition) was SENT this node may still act as the holder. Less
 * than the TTL by a drift allowance, so the local deadline passes before Redis could expire the
 * key and give the lease to another node, even with clocks running slightly apart.
 */
export const localValidityMs = (timing: LeaseTiming): number => timing.ttlMs - Math.max(50, Math.floor(timing.ttlMs / 10));

/** How often a standby tries for the lease between release notices (a kill -9 sends none). */
export const standbyPollMs = (timing: LeaseTiming): number => Math.max(20, Math.floor(timing.renewMs / 4));
