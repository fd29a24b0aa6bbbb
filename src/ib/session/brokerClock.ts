import type { Now } from '../../shared/clock.ts';

/** IB's currentTime has whole seconds: offsets closer than this are the same reading, kept to avoid jitter. */
const RESOLUTION_MS = 1_000;

/**
 * The gateway's wall clock as seen from here: the offset between IB's `currentTime` and the local
 * clock, learnt at every answer (sent at connect and with each heartbeat). Rolls and contract
 * choices go by this clock, so a simulator whose clock is moved drives them in tests, and a real
 * gateway (whose clock is wall time) drives them in production. Before any answer it reads the
 * local clock.
 */
export class BrokerClock {
  private offset = 0;
  private known = false;
  private readonly firstAnswer: Promise<void>;
  private answered: () => void = () => undefined;

  constructor(private readonly localNow: Now = () => Date.now()) {
    this.firstAnswer = new Promise((resolve) => (this.answered = resolve));
  }

  /** Settles at the broker's first currentTime answer (at once if it has answered). */
  whenSynchronised(): Promise<void> {
    return this.firstAnswer;
  }

  /** Broker time now, epoch ms. */
  readonly now = (): number => this.localNow() + this.offset;

  /** Whether the broker has told its time at least once. */
  get synchronised(): boolean {
    return this.known;
  }

  /** An IB `currentTime` answer (epoch seconds) received now. */
  observe(brokerEpochSeconds: number): void {
    if (!Number.isFinite(brokerEpochSeconds)) return;
    // The answer's second started up to 1 s ago: its middle is the best estimate.
    const offset = brokerEpochSeconds * 1000 + RESOLUTION_MS / 2 - this.localNow();
    if (this.known && Math.abs(offset - this.offset) < RESOLUTION_MS) return;
    this.offset = offset;
    this.known = true;
    this.answered();
  }
}
