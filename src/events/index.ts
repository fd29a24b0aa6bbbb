export { EventAppender, type EventAppenderOptions, type LiveEventRecord } from './eventAppender.ts';
export { EventFeed, type EventFeedOptions } from './eventFeed.ts';
export { EventStreamClient, realEvery, type Every, type EntrySource, type EventStreamClientOptions } from './eventStreamClient.ts';
export { FillsRelay, fillEventOf, type FillsRelayOptions } from './fillsRelay.ts';
export { RedisEventStream, type EventStreamSource, type StreamTail } from './redisEventStream.ts';
export { canonicalStreamId, compareStreamIds, STREAM_START } from './streamIds.ts';
export * from './liveEventSchemas.ts';
export { eventsConfigSchema, DEFAULT_EVENTS_CONFIG, type EventsConfig } from './eventsConfig.ts';
