import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.ts';
import { EventAppender, FillsRelay } from '../../events/index.ts';
import type { Fence } from '../../lease/fence.ts';
import type { Logger } from '../../log/logger.ts';
import type { NamespaceKeys } from '../../redis/namespaceKeys.ts';
import type { EventBus } from '../../supervision/eventBus.ts';
import { recordLiveEvents } from '../liveEventSources.ts';
import type { Capability } from './capability.ts';

export interface EventsCapabilityDeps {
  config: Config;
  /** Duplicated: the appender and the fills relay each get a connection of their own. */
  redis: Redis;
  keys: NamespaceKeys;
  fence: Fence;
  bus: EventBus;
  logger: Logger;
}

interface Started {
  appender: EventAppender;
  appenderConnection: Redis;
  relay: FillsRelay;
  unsubscribe: () => void;
}

/**
 * Recording live events, on the active node: the bus topics they come from, and the fills stream,
 * into the event stream that every node's `GET /events` serves. First in start order, so it hears
 * what the other capabilities announce as they start (the IB connection coming up), and last to stop.
 */
export class EventsCapability implements Capability {
  readonly name = 'events';
  private started: Started | null = null;

  constructor(private readonly deps: EventsCapabilityDeps) {}

  childSpec(): null {
    return null;
  }

  async start(): Promise<void> {
    const { config, redis, keys, fence, bus, logger } = this.deps;
    if (!config.events.enabled || this.started) return;
    const appenderConnection = redis.duplicate();
    appenderConnection.on('error', (error: Error) => logger.debug('live events redis error', { error: error.message }));
    const appender = new EventAppender(appenderConnection, { key: keys.eventStream, fillsPositionKey: keys.eventStreamFillsPosition, maxLen: config.events.retention.maxLen, fence, logger });
    const unsubscribe = recordLiveEvents(bus, (type, payload) => appender.record(type, payload));
    const relay = new FillsRelay(redis, { fillsKey: keys.fillStream, positionKey: keys.eventStreamFillsPosition, appender, logger });
    relay.start();
    this.started = { appender, appenderConnection, relay, unsubscribe };
  }

  async stop(): Promise<void> {
    const started = this.started;
    if (!started) return;
    this.started = null;
    started.unsubscribe();
    await started.relay.stop();
    await started.appender.stop();
    await started.appenderConnection.quit().catch(() => started.appenderConnection.disconnect());
  }
}
