import type { Writable } from 'node:stream';
import type { Logger } from '../log/logger.ts';
import { everyInterval, type Every } from '../shared/every.ts';
import { ClientCursor } from './clientCursor.ts';
import type { EventEntry } from './eventEntry.ts';
import { eventFrame, keepaliveFrame, lostFrame } from './sseFrames.ts';
import { compareStreamIds } from './streamIds.ts';

/** What a client reads of the feed (EventFeed). */
export interface EntrySource {
  readonly closed: boolean;
  /** Where the shared tail reader is. */
  readonly position: string;
  after(position: string): EventEntry[] | Promise<EventEntry[]>;
  waitBeyond(id: string): Promise<void>;
}

/** Runs `tick` every `ms` until the returned function is called (setInterval; tests pass their own clock). */

export interface EventStreamClientOptions {
  source: EntrySource;
  /** The response body (`reply.raw`): written while it takes more, waited on (`drain`) when it does not. */
  sink: Writable;
  /** Where the client is: its Last-Event-ID, or the feed's position for a new client. */
  position: string;
  /** True when `position` is the client's own Last-Event-ID (its loss is then a resume point that is gone). */
  resumed: boolean;
  /** `?types=`: the event types it asked for; null for all. `lost` always goes. */
  types: ReadonlySet<string> | null;
  keepaliveMs: number;
  every?: Every;
  logger: Logger;
}

/** Bytes gathered before one write: few writes for a client catching up, little held beyond what the socket takes. */
const CHUNK_BYTES = 16 * 1024;

/**
 * One SSE client: reads the stream from its position, in order, each entry once, and writes it
 * while the socket takes it. When the socket is backed up it stops reading (nothing piles up for
 * it beyond one chunk) and carries on from its position once drained; if the stream has been
 * trimmed past that position meanwhile, it is told with a `lost` event rather than skipped silently.
 */
export class EventStreamClient {
  private readonly cursor: ClientCursor;
  private closed = false;
  private readonly stopKeepalive: () => void;
  /** The last id written to the client (an `id:` line); behind the cursor when a filter skipped entries. */
  private lastWrittenId: string;
  /** Ends the wait in progress (close): one at a time, so nothing accumulates on a long-lived client. */
  private interrupt: (() => void) | null = null;
  /** Settles when the client has stopped (closed, or the feed closed). */
  readonly done: Promise<void>;

  constructor(private readonly options: EventStreamClientOptions) {
    this.cursor = new ClientCursor(options.position, { resumed: options.resumed, types: options.types });
    this.lastWrittenId = options.position;
    this.stopKeepalive = (options.every ?? everyInterval)(() => this.keepalive(), options.keepaliveMs);
    this.done = this.pump().catch((error: Error) => {
      options.logger.error('live events client failed', { error: error.message });
      this.close();
    });
  }

  /** The client went away (or the server is closing): stop reading and writing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopKeepalive();
    this.interrupt?.();
  }

  get position(): string {
    return this.cursor.position;
  }

  private get stopping(): boolean {
    return this.closed || this.options.source.closed;
  }

  private async pump(): Promise<void> {
    const { source, sink, logger } = this.options;
    let failures = 0;
    while (!this.stopping) {
      let entries: EventEntry[];
      // Where the tail was when this read began: with nothing to read, wait for it to move on from
      // there (it may have moved while the read was answered).
      const tailSeen = source.position;
      try {
        entries = await source.after(this.cursor.position);
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1) logger.warn('live events: a client cannot read the event stream; retrying', { error: (error as Error).message });
        await this.until(new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** Math.min(failures, 6))).unref()));
        continue;
      }
      if (this.stopping) break;
      if (entries.length === 0) {
        const position = this.cursor.position;
        await this.until(source.waitBeyond(compareStreamIds(position, tailSeen) > 0 ? position : tailSeen));
        continue;
      }
      let chunk = '';
      for (const entry of entries) {
        if (!this.cursor.isAhead(entry)) continue;
        const { lost, entry: delivered } = this.cursor.take(entry);
        if (lost) chunk += lostFrame(lost);
        if (delivered) {
          chunk += eventFrame(delivered);
          this.lastWrittenId = delivered.id;
        }
        if (chunk.length >= CHUNK_BYTES) {
          const more = sink.write(chunk);
          chunk = '';
          // Backed up: read no further; the cursor says where to carry on once it drains.
          if (!more) break;
        }
      }
      if (chunk !== '') sink.write(chunk);
      if (sink.writableNeedDrain) await this.drained();
    }
    this.close();
  }

  /** Waits for `event`, or for the client to close, whichever comes first. */
  private until(event: Promise<unknown>): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.interrupt = resolve;
      event.then(
        () => resolve(),
        () => resolve(),
      );
    }).finally(() => (this.interrupt = null));
  }

  private drained(): Promise<void> {
    const { sink } = this.options;
    let done = () => {};
    const drainedOrClosed = new Promise<void>((resolve) => {
      done = () => resolve();
      sink.once('drain', done);
      sink.once('close', done);
    });
    return this.until(drainedOrClosed).finally(() => {
      sink.off('drain', done);
      sink.off('close', done);
    });
  }

  private keepalive(): void {
    const { sink } = this.options;
    // A backed-up connection is not idle: the comment would only add to what waits.
    if (this.closed || sink.writableNeedDrain) return;
    const position = this.cursor.position;
    sink.write(keepaliveFrame(position !== this.lastWrittenId ? position : undefined));
    this.lastWrittenId = position;
  }
}
