import type { Logger } from '../log/logger.ts';
import type { EventEntry } from './eventEntry.ts';
import { EventRing } from './eventRing.ts';
import type { EventStreamSource, StreamTail } from './redisEventStream.ts';
import { compareStreamIds } from './streamIds.ts';

export interface EventFeedOptions {
  /** Recent entries kept in memory for clients that keep up. */
  ringCapacity?: number;
  /** Entries per read, from the tail and for a client behind the ring. */
  batch?: number;
  /** How long one blocking read of the tail waits (ms); a stop does not wait for it. */
  blockMs?: number;
  logger: Logger;
}

/** One start of the tail reader: a fresh connection and a fresh ring, so the ring never spans a time it was not reading. */
interface TailRun {
  tail: StreamTail;
  stopped: boolean;
  done: Promise<void>;
}

/**
 * The process's one reader of the event stream, shared by every SSE client of this node (active
 * or standby): a single blocking tail read fills a ring of recent entries and wakes the clients
 * waiting for them. It runs while some client holds it (`acquire`), and a client behind the ring
 * reads Redis itself (`after`).
 */
export class EventFeed {
  private readonly ring: EventRing;
  private readonly batch: number;
  private holders = 0;
  private closedForGood = false;
  private run: TailRun | null = null;
  private starting: Promise<void> | null = null;
  /** The id of the last entry the tail read (its start: the stream's head then). */
  private tailPosition = '0-0';
  private wake: { promise: Promise<void>; resolve: () => void } = deferred();

  constructor(
    private readonly source: EventStreamSource,
    private readonly options: EventFeedOptions,
  ) {
    this.ring = new EventRing(options.ringCapacity ?? 4_096);
    this.batch = options.batch ?? 1_000;
  }

  /** Where the tail is: a client without Last-Event-ID starts here. */
  get position(): string {
    return this.tailPosition;
  }

  get clients(): number {
    return this.holders;
  }

  /** Holds the tail running (starting it for the first holder); call the result exactly once when done. */
  async acquire(): Promise<() => void> {
    if (this.closedForGood) throw new Error('the live event feed is closed (the process is stopping)');
    this.holders += 1;
    try {
      if (!this.run) {
        this.starting ??= this.startTail().finally(() => (this.starting = null));
        await this.starting;
      }
    } catch (error) {
      this.holders -= 1;
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders -= 1;
      if (this.holders === 0) this.stopTail();
    };
  }

  /** Up to one batch of entries after `position`: from the ring when it holds what follows, else from Redis. */
  after(position: string): EventEntry[] | Promise<EventEntry[]> {
    const fromRing = this.ring.after(position, this.batch);
    if (fromRing !== null) return fromRing;
    if (compareStreamIds(position, this.tailPosition) >= 0) return [];
    return this.source.range(position, this.batch);
  }

  /** Resolves once the tail has read past `id` (or it stopped). */
  async waitBeyond(id: string): Promise<void> {
    while (this.run && compareStreamIds(this.tailPosition, id) <= 0) await this.wake.promise;
  }

  /** True once closed: a client still streaming should end. */
  get closed(): boolean {
    return this.closedForGood;
  }

  /** Stops the tail whoever holds it, for good (the process is stopping); waiting clients are woken. */
  async close(): Promise<void> {
    this.closedForGood = true;
    this.holders = 0;
    await this.starting?.catch(() => undefined);
    await this.stopTail();
  }

  private async startTail(): Promise<void> {
    const head = await this.source.head();
    if (this.closedForGood) throw new Error('the live event feed is closed (the process is stopping)');
    const tail = this.source.tail();
    this.ring.clear();
    this.tailPosition = head;
    const run: TailRun = { tail, stopped: false, done: Promise.resolve() };
    run.done = this.follow(run);
    this.run = run;
  }

  private stopTail(): Promise<void> {
    const run = this.run;
    if (!run) return Promise.resolve();
    this.run = null;
    run.stopped = true;
    run.tail.close();
    this.notify();
    return run.done;
  }

  private async follow(run: TailRun): Promise<void> {
    const blockMs = this.options.blockMs ?? 5_000;
    let failures = 0;
    while (!run.stopped) {
      try {
        const entries = await run.tail.read(this.tailPosition, this.batch, blockMs);
        if (run.stopped) return;
        failures = 0;
        if (entries.length === 0) continue;
        for (const entry of entries) this.ring.push(entry);
        this.tailPosition = entries[entries.length - 1]!.id;
        this.notify();
      } catch (error) {
        if (run.stopped) return;
        failures += 1;
        if (failures === 1) this.options.logger.warn('live events: the event stream cannot be read; retrying', { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** Math.min(failures, 6))).unref());
      }
    }
  }

  private notify(): void {
    const woken = this.wake;
    this.wake = deferred();
    woken.resolve();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
