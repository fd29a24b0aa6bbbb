import { z } from 'zod';

/** When something happened, as the events carry it: ISO 8601 UTC. */
const at = z.string().describe('when it happened, ISO 8601 UTC');

/**
 * An order's state changed (every written transition; TWAP slices are orders of their own,
 * `<parent>:t<n>`): the bus message `order.<state>` as it is (`schemas/order-state-event.json`).
 */
export const orderEventSchema = z.object({
  clientOrderId: z.string(),
  state: z
    .string()
    .describe('the state just written: validating, holding, checkingMargin, submitting, inDoubt, working, modifying, partiallyFilled, slicing, then filled, cancelled, rejected, expired (or suspended)'),
  filledQuantity: z.number(),
  averagePrice: z.number().nullable().describe('volume-weighted over the fills so far; null before the first'),
  at: z.string().describe('when the transition was written, ISO 8601 UTC'),
});

/** One execution, as the fills stream (`<ns>:stream:fills`) holds it: its own price and quantity. */
export const fillEventSchema = z.object({
  execId: z.string(),
  clientOrderId: z.string(),
  parentClientOrderId: z.string().optional().describe('a TWAP slice: the order the strategy sent'),
  account: z.string(),
  symbol: z.string(),
  contractMonth: z.string().describe('YYYYMM'),
  side: z.string(),
  price: z.number(),
  quantity: z.number(),
  time: z.string().describe('when the runtime recorded the execution, ISO 8601 UTC'),
  commission: z.number().optional().describe('when known as the fill was recorded'),
});

/** A reconciliation break opened (the instrument is locked for new orders) or was cleared. */
export const breakEventSchema = z.object({
  symbol: z.string(),
  reason: z.string().describe('unknown_fill, overfill, position_mismatch or foreign_client_order'),
  detail: z.string().optional(),
  state: z.enum(['open', 'cleared']),
  at,
});

/** Order intake halted (a cause added) or resumed (a cause cleared); `halted` is whether intake is still halted after it. */
export const haltEventSchema = z.object({
  halted: z.boolean(),
  cause: z.string().describe('operator, redisStateLost, ...'),
  reason: z.string(),
  who: z.string(),
  at,
});

/** A reportable-level crossing (17 CFR 15.03(b)): the `regulatory.reportable` / `regulatory.below_level` alert. */
export const reportableEventSchema = z.object({
  kind: z.enum(['reportable', 'belowLevel']),
  account: z.string(),
  symbol: z.string(),
  contractMonth: z.string(),
  market: z.string(),
  commodity: z.string(),
  level: z.number(),
  net: z.number(),
  at,
});

/** An IB connection's health changed. */
export const connectionEventSchema = z.object({
  connection: z.string().describe('the connection actor: ib, ib-2, ...'),
  health: z.string().describe('healthy, degraded, ibServerLost (connected); connecting, handshaking, backoff, failover, stopped (not)'),
  at,
});

/** Market data rolled a symbol to its next contract month (`market_data.roll`). */
export const rollEventSchema = z.object({
  symbol: z.string(),
  from: z.string(),
  to: z.string(),
  at: z.string().describe('broker clock, ISO 8601'),
  sourceId: z.string(),
});

/** Events this client should have had are gone from the retained window: it continues from the oldest retained one. */
export const lostEventSchema = z.object({
  lastEventId: z.string().describe('the client position the missing events came after'),
  oldestRetainedId: z.string().describe('the event the client continues from'),
  reason: z.enum(['resume_point_not_retained', 'fell_behind']),
});

export const LIVE_EVENT_SCHEMAS = {
  order: orderEventSchema,
  fill: fillEventSchema,
  break: breakEventSchema,
  halt: haltEventSchema,
  reportable: reportableEventSchema,
  connection: connectionEventSchema,
  roll: rollEventSchema,
} as const;

/** What the stream records, and what `?types=` may name (`lost` is never filtered out). */
export type LiveEventType = keyof typeof LIVE_EVENT_SCHEMAS;
export const LIVE_EVENT_TYPES = Object.keys(LIVE_EVENT_SCHEMAS) as LiveEventType[];

export type LiveEventPayload<T extends LiveEventType> = z.infer<(typeof LIVE_EVENT_SCHEMAS)[T]>;
export type LostEvent = z.infer<typeof lostEventSchema>;

const idField = z.string().describe('the event stream entry id (send it back as Last-Event-ID)');
const message = <T extends LiveEventType>(event: T) => z.object({ id: idField, event: z.literal(event), data: LIVE_EVENT_SCHEMAS[event] });

/** One SSE message as the stream carries it (`id:`, `event:`, `data:` one line of JSON); for the OpenAPI document. */
export const sseMessageSchema = z
  .union([
    message('order'),
    message('fill'),
    message('break'),
    message('halt'),
    message('reportable'),
    message('connection'),
    message('roll'),
    z.object({ event: z.literal('lost'), data: lostEventSchema }).describe('no id: the client keeps the last one it had'),
  ])
  .describe('one message of the text/event-stream; `: keepalive` comment lines come between them');
