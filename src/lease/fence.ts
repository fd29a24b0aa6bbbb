import type { Now } from '../shared/clock.ts';
/** A durable write or a send refused because a newer lease token exists (this node lost the lease). */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}

/** Redis answered a fenced script with this prefix (see src/redis/scripts/refuseIfFenced-fence.lua). */
export const isFencedReply = (error: unknown): boolean => error instanceof Error && error.message.startsWith('FENCED');

/**
 * This node's hold on the namespace's lease as the rest of the process sees it: the token every
 * durable order write carries (Redis refuses it once a newer token exists), and how long sends
 * to the broker may still leave. That deadline is local (monotonic clock, from when the last
 * renewal was sent): a process paused past it wakes up unable to send, before Redis could even
 * have handed the lease to another node.
 */
export class Fence {
  private held: number | null = null;
  /** The last token held: writes after a loss still carry it, so Redis refuses them once a newer one exists. */
  private last = 0;
  private validUntil = 0;
  private readonly fencedListeners = new Set<(reason: string) => void>();

  constructor(
    /** The fencing-token counter the scripts compare with; null: no lease, nothing is fenced. */
    readonly key: string | null,
    private readonly now: Now = () => performance.now(),
  ) {}

  /** A fence that never refuses, for stores used outside a leased runtime (tools, tests). */
  static none(): Fence {
    return new Fence(null);
  }

  get token(): number | null {
    return this.held;
  }

  /**
   * The token as a script argument: empty (no check) without a lease. After a loss it is still the
   * last token held: a handover's final writes pass, a superseded node's are refused.
   */
  get scriptArg(): string {
    return this.key === null ? '' : String(this.last);
  }

  hold(token: number, validUntil: number): void {
    this.held = token;
    this.last = token;
    this.validUntil = validUntil;
  }

  extendUntil(validUntil: number): void {
    this.validUntil = Math.max(this.validUntil, validUntil);
  }

  drop(): void {
    this.held = null;
    this.validUntil = 0;
  }

  /** Why a message to the broker may not leave now, or null when it may. */
  sendRefusal(): string | null {
    if (this.key === null) return null;
    if (this.held === null) return 'this node does not hold the lease';
    const now = this.now();
    if (now >= this.validUntil) return `the lease (token ${this.held}) expired locally ${Math.round(now - this.validUntil)} ms ago`;
    return null;
  }

  /** Told when Redis refuses a write as fenced: the lease is lost, whatever the renewals said. */
  onFenced(listener: (reason: string) => void): () => void {
    this.fencedListeners.add(listener);
    return () => this.fencedListeners.delete(listener);
  }

  reportFenced(reason: string): void {
    for (const listener of this.fencedListeners) listener(reason);
  }
}
