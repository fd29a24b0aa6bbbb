import { expect } from 'vitest';
import type { EventEntry } from '../../src/events/eventEntry.ts';
import { compareStreamIds } from '../../src/events/streamIds.ts';
import type { SseMessage } from './sseText.ts';

/**
 * The fan-out's promise to one client, over all its sessions (each resumed from the last id it
 * had): every event after its start comes in stream order, exactly once; where some never came,
 * they were trimmed before it could read them, and a `lost` event said so right before the next
 * one, naming where it was and what it continues from. No `lost` without a real gap.
 */
export function expectEveryEventOnceAndEveryGapAnnounced(
  messages: readonly SseMessage[],
  options: { start: string; history: ReadonlyMap<string, EventEntry>; retained: ReadonlySet<string> },
): void {
  let at = options.start;
  let lost: { lastEventId: string; oldestRetainedId: string } | null = null;
  for (const message of messages) {
    if (message.event === 'lost') {
      expect(lost, 'two lost events in a row').toBeNull();
      lost = JSON.parse(message.data) as { lastEventId: string; oldestRetainedId: string };
      expect(lost.lastEventId).toBe(at);
      continue;
    }
    const id = message.id!;
    expect(compareStreamIds(id, at), `event ${id} after ${at}: in order, once`).toBeGreaterThan(0);
    const entry = options.history.get(id)!;
    expect(entry, `event ${id} was appended`).toBeDefined();
    if (entry.prev === at) {
      expect(lost, `lost before ${id}, which follows ${at} directly`).toBeNull();
    } else {
      expect(lost, `the gap between ${at} and ${id} is announced`).toEqual({ lastEventId: at, oldestRetainedId: id, reason: expect.any(String) });
      // What was skipped is really gone: nothing between is retained.
      for (const [missedId] of options.history) {
        if (compareStreamIds(missedId, at) > 0 && compareStreamIds(missedId, id) < 0) expect(options.retained.has(missedId), `${missedId} skipped while retained`).toBe(false);
      }
    }
    lost = null;
    at = id;
  }
  expect(lost, 'a lost event is followed by the event it continues from').toBeNull();
}
