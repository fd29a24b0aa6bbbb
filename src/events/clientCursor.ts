import type { EventEntry } from './eventEntry.ts';
import type { LostEvent } from './liveEventSchemas.ts';
import { compareStreamIds } from './streamIds.ts';

/** What one entry means for one client: a `lost` notice first when entries before it are gone, and the entry unless filtered out. */
export interface Delivery {
  lost: LostEvent | null;
  entry: EventEntry | null;
}

/**
 * One client's place in the event stream: the id of the last entry it was brought past. Entries
 * must be given in stream order, each after the position. The rule that makes a gap visible: an
 * entry records the id just before it when it was appended (`prev`); if that is after the
 * position, the entries in between were trimmed before this client got them, and it hears so.
 */
export class ClientCursor {
  private resuming: boolean;
  private readonly types: ReadonlySet<string> | null;

  constructor(
    /** The last id the client has (Last-Event-ID), or the stream's head for a new client. */
    private at: string,
    options: { resumed: boolean; types: ReadonlySet<string> | null },
  ) {
    this.resuming = options.resumed;
    this.types = options.types;
  }

  get position(): string {
    return this.at;
  }

  /** True when `entry` comes after the position (an entry at or before it was delivered already). */
  isAhead(entry: EventEntry): boolean {
    return compareStreamIds(entry.id, this.at) > 0;
  }

  take(entry: EventEntry): Delivery {
    const gap = compareStreamIds(entry.prev, this.at) > 0;
    const lost: LostEvent | null = gap ? { lastEventId: this.at, oldestRetainedId: entry.id, reason: this.resuming ? 'resume_point_not_retained' : 'fell_behind' } : null;
    this.resuming = false;
    this.at = entry.id;
    return { lost, entry: this.types === null || this.types.has(entry.type) ? entry : null };
  }
}
