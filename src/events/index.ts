export { EventAppender } from './eventAppender.ts';
export { EventFeed } from './eventFeed.ts';
export { EventStreamClient } from './eventStreamClient.ts';
export type { Every } from '../shared/every.ts';
export { FillsRelay } from './fillsRelay.ts';
export { RedisEventStream } from './redisEventStream.ts';
export { canonicalStreamId } from './streamIds.ts';
export { LIVE_EVENT_TYPES, sseMessageSchema, type LiveEventPayload, type LiveEventType } from './liveEventSchemas.ts';
