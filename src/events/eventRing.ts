import type { EventEntry } from './eventEntry.ts';
import { compareStreamIds } from './streamIds.ts';

/**
 * The most recent entries the process's tail reader read, in stream order, as one unbroken run of
 * what it read (it is cleared whenever the reader starts afresh): clients that keep up are served
 * from here, and only those behind it read Redis.
 */
export class EventRing {
  private readonly items: (EventEntry | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<EventEntry | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(entry: EventEntry): void {
    if (this.count === this.capacity) {
      this.items[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
      return;
    }
    this.items[(this.start + this.count) % this.capacity] = entry;
    this.count += 1;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /**
   * Up to `limit` entries after `position`, or null when the ring does not hold what comes right
   * after it (the client is behind the ring: read Redis). Empty when the position is at its end.
   */
  after(position: string, limit: number): EventEntry[] | null {
    if (this.count === 0) return null;
    // The ring holds the successor of `position` only if its first entry follows something at or before it.
    if (compareStreamIds(position, this.at(0).prev) < 0) return null;
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareStreamIds(this.at(mid).id, position) <= 0) low = mid + 1;
      else high = mid;
    }
    const entries: EventEntry[] = [];
    for (let i = low; i < this.count && entries.length < limit; i += 1) entries.push(this.at(i));
    return entries;
  }

  private at(index: number): EventEntry {
    return this.items[(this.start + index) % this.capacity]!;
  }
}
