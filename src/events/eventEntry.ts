/** One entry of the event stream (`<ns>:stream:events`) as readers get it. */
export interface EventEntry {
  id: string;
  /**
   * The id of the entry just before it in the stream when it was appended (`0-0` for the first).
   * A reader at position p that next gets an entry whose `prev` is after p knows that entries
   * between were trimmed away before it read them.
   */
  prev: string;
  type: string;
  /** The payload: one line of JSON, as stored. */
  data: string;
  /** Its SSE frame, built once however many clients it goes to. */
  frame?: string;
}

/** An XRANGE / XREAD entry (`[id, [field, value, ...]]`) as an EventEntry; null if it lacks a field (not written by the appender). */
export function entryOf(id: string, fields: readonly string[]): EventEntry | null {
  let type: string | undefined;
  let prev: string | undefined;
  let data: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1]!;
    switch (fields[i]) {
      case 'type':
        type = value;
        break;
      case 'prev':
        prev = value;
        break;
      case 'data':
        data = value;
        break;
    }
  }
  return type === undefined || prev === undefined || data === undefined ? null : { id, prev, type, data };
}

export type RawStreamEntry = [id: string, fields: string[]];

export function entriesOf(raw: readonly RawStreamEntry[]): EventEntry[] {
  const entries: EventEntry[] = [];
  for (const [id, fields] of raw) {
    const entry = entryOf(id, fields);
    if (entry) entries.push(entry);
  }
  return entries;
}
