import { z } from 'zod';

/** `events` in the config: the live event stream behind `GET /events`. */
export const eventsConfigSchema = z
  .strictObject({
    /** Record live events (the active node appends them to `<ns>:stream:events`); off, `GET /events` still serves what is retained. */
    enabled: z.boolean().default(true),
    retention: z
      .strictObject({
        /** The stream is trimmed to about this many events on each append (`XADD … MAXLEN ~`): the window a client may resume within. */
        maxLen: z.number().int().min(100).default(10_000),
      })
      .prefault({}),
    /** How often an idle SSE connection gets a `: keepalive` comment (proxies drop silent ones). */
    keepaliveMs: z.number().int().min(10).default(15_000),
  })
  .prefault({});

export type EventsConfig = z.output<typeof eventsConfigSchema>;

export const DEFAULT_EVENTS_CONFIG: EventsConfig = { enabled: true, retention: { maxLen: 10_000 }, keepaliveMs: 15_000 };
