import type { EventFeed } from '../../src/events/eventFeed.ts';
import { EventStreamClient } from '../../src/events/eventStreamClient.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { parseSse, type SseMessage } from './sseText.ts';
import { TestSink } from './testSink.ts';

const noKeepalive = () => () => {};

/** One client over its sessions: each session a connection, the next resumed from the last id the previous one received. */
export class ClientSessions {
  readonly messages: SseMessage[] = [];
  start!: string;
  private sink!: TestSink;
  private client!: EventStreamClient;
  private release!: () => void;
  private lastEventId: string | undefined;

  constructor(private readonly feed: EventFeed) {}

  async connect(): Promise<void> {
    this.release = await this.feed.acquire();
    const resumed = this.lastEventId !== undefined;
    const position = this.lastEventId ?? this.feed.position;
    // Without an id the client has nothing to resume from: it starts afresh where the stream is now.
    if (!resumed) this.start = position;
    this.sink = new TestSink();
    this.client = new EventStreamClient({ source: this.feed, sink: this.sink, position, resumed, types: null, keepaliveMs: 1_000, every: noKeepalive, logger: createSilentLogger() });
  }

  /** The connection drops: what the socket still held never arrives. */
  async disconnect(): Promise<void> {
    this.heldWrites += this.sink.held;
    this.client.close();
    this.sink.drop();
    await this.client.done;
    this.release();
    const parsed = parseSse(this.sink.text);
    this.messages.push(...parsed.messages);
    this.lastEventId = parsed.lastEventId ?? this.lastEventId;
  }

  /** Writes a backed-up socket held, over all sessions. */
  heldWrites = 0;

  block(): void {
    this.sink.block();
  }

  unblock(): void {
    this.sink.unblock();
  }

  get position(): string {
    return this.client.position;
  }

  get holding(): boolean {
    return this.sink.holding;
  }
}

