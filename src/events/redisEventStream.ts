import type { Redis } from 'ioredis';
import { entriesOf, type EventEntry, type RawStreamEntry } from './eventEntry.ts';
import { STREAM_START } from './streamIds.ts';

/** A blocking reader of the stream's new entries, on a connection of its own. */
export interface StreamTail {
  /** Entries after `after`, waiting up to `blockMs` for the first; empty when none came. */
  read(after: string, count: number, blockMs: number): Promise<EventEntry[]>;
  close(): void;
}

/** What the feed reads of the event stream. */
export interface EventStreamSource {
  /** The id of the newest entry, or `0-0` when there is none. */
  head(): Promise<string>;
  /** Up to `count` entries after `after` (exclusive), oldest first. */
  range(after: string, count: number): Promise<EventEntry[]>;
  tail(): StreamTail;
}

/** The event stream in Redis: ranges on the node's shared connection, the tail on a duplicate of it (XREAD BLOCK holds its connection). */
export class RedisEventStream implements EventStreamSource {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  async head(): Promise<string> {
    const [last] = (await this.redis.xrevrange(this.key, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
    return last?.[0] ?? STREAM_START;
  }

  async range(after: string, count: number): Promise<EventEntry[]> {
    return entriesOf((await this.redis.xrange(this.key, `(${after}`, '+', 'COUNT', count)) as RawStreamEntry[]);
  }

  tail(): StreamTail {
    const connection = this.redis.duplicate();
    connection.on('error', () => undefined);
    const key = this.key;
    return {
      async read(after, count, blockMs) {
        const reply = (await connection.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', key, after)) as [string, RawStreamEntry[]][] | null;
        return entriesOf(reply?.[0]?.[1] ?? []);
      },
      close: () => connection.disconnect(),
    };
  }
}
