import type { EventEntry } from './eventEntry.ts';
import type { LostEvent } from './liveEventSchemas.ts';

/**
 * The text/event-stream framing: `id:`, `event:`, one `data:` line (the JSON has no newline) and a
 * blank line. A `lost` message has no `id:`, so the client keeps the last id it had.
 */
export function eventFrame(entry: EventEntry): string {
  entry.frame ??= `id: ${entry.id}\nevent: ${entry.type}\ndata: ${entry.data}\n\n`;
  return entry.frame;
}

export function lostFrame(lost: LostEvent): string {
  return `event: lost\ndata: ${JSON.stringify(lost)}\n\n`;
}

/**
 * The keepalive comment. With `position`, an `id:` line too: a message with no data is not
 * dispatched, but it moves the client's Last-Event-ID past events its `?types=` filter skipped, so a
 * reconnect does not read them again (nor hear of their loss).
 */
export function keepaliveFrame(position?: string): string {
  return position === undefined ? ': keepalive\n\n' : `: keepalive\nid: ${position}\n\n`;
}
