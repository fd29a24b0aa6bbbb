import type { EventEntry } from '../../src/events/eventEntry.ts';
import type { EventStreamSource, StreamTail } from '../../src/events/redisEventStream.ts';
import { compareStreamIds, STREAM_START } from '../../src/events/streamIds.ts';

/**
 * A model of the event stream for the fan-out logic's property test: appends chain `prev` as the
 * appender's script does, trims drop the oldest entries as MAXLEN does. Reads answer at once
 * (a tail read waits for an append), so a test decides every interleaving itself. The same
 * property runs against Redis in fanOutRedis.property.test.ts.
 */
export class MemoryEventStream implements EventStreamSource {
  entries: EventEntry[] = [];
  /** Every entry ever appended, trimmed or not. */
  readonly history: EventEntry[] = [];
  private last = STREAM_START;
  private seq = 0;
  private readonly waiting = new Set<() => void>();
  ranges = 0;

  append(type = 'order'): EventEntry {
    this.seq += 1;
    const entry: EventEntry = { id: `${1_000 + this.seq}-0`, prev: this.last, type, data: JSON.stringify({ n: this.seq }) };
    this.entries.push(entry);
    this.history.push(entry);
    this.last = entry.id;
    for (const wake of [...this.waiting]) wake();
    return entry;
  }

  /** Keeps the newest `keep` entries. */
  trim(keep: number): void {
    if (this.entries.length > keep) this.entries.splice(0, this.entries.length - keep);
  }

  async head(): Promise<string> {
    return this.entries.at(-1)?.id ?? STREAM_START;
  }

  async range(after: string, count: number): Promise<EventEntry[]> {
    this.ranges += 1;
    return this.after(after, count);
  }

  tail(): StreamTail {
    let closed = false;
    let cancel = () => {};
    return {
      read: (after, count) =>
        new Promise<EventEntry[]>((resolve) => {
          const check = () => {
            const found = this.after(after, count);
            if (found.length === 0 && !closed) return;
            this.waiting.delete(check);
            resolve(found);
          };
          cancel = () => {
            this.waiting.delete(check);
            resolve([]);
          };
          this.waiting.add(check);
          check();
        }),
      close: () => {
        closed = true;
        cancel();
      },
    };
  }

  private after(after: string, count: number): EventEntry[] {
    return this.entries.filter((entry) => compareStreamIds(entry.id, after) > 0).slice(0, count);
  }
}
