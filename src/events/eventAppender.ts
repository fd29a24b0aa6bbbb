import type { Redis } from 'ioredis';
import { Fence, isFencedReply } from '../lease/fence.ts';
import type { Logger } from '../log/logger.ts';
import { luaScript } from '../redis/luaScript.ts';
import type { LiveEventType } from './liveEventSchemas.ts';

const APPEND_EVENTS = luaScript('appendEvents-stream-cursor-fence.lua', { prelude: 'refuseIfFenced-fence.lua' });

/** Entries per script call: a large backlog goes in a few calls, none of them long enough to hold Redis up. */
const BATCH = 500;

export interface EventAppenderOptions {
  /** The event stream (namespaceKeys().eventStream). */
  key: string;
  /** Where the fills relay's position is kept (namespaceKeys().eventStreamFillsPosition). */
  fillsPositionKey: string;
  /** `events.retention.maxLen`: the stream is trimmed to about this many entries (`MAXLEN ~`). */
  maxLen: number;
  /** This node's lease: a node that lost it appends nothing. */
  fence: Fence;
  logger: Logger;
  /** Events held while Redis does not answer; past this the oldest are dropped (and logged). */
  maxPending?: number;
}

export interface LiveEventRecord {
  type: LiveEventType;
  payload: object;
}

interface Pending {
  /** Null: a relay batch with no events (it read only commissions) moves the relay's position alone. */
  event: LiveEventRecord | null;
  /** Relayed: never dropped (the relay's position must not move past an event that is not in). */
  relayed?: true;
  /** A relayed batch's last item carries the relay's new position and is told when it is in. */
  relay?: { position: string; settle: (error?: Error) => void };
}

/**
 * Appends live events to the event stream from the active node without holding up whoever
 * records them: `record` only queues (the bus handlers run inside order transitions), and what
 * queued during one Redis round trip goes in the next, as one fenced script call. So the cost per
 * event is a push, and the number of calls adapts to the rate.
 */
export class EventAppender {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private stopped = false;
  /** The last id appended: the `prev` of the next entry if the stream itself has gone (wiped). */
  private lastId = '';
  private dropped = 0;
  private readonly maxPending: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: EventAppenderOptions,
  ) {
    this.maxPending = options.maxPending ?? 100_000;
  }

  /** Queues one event; it is appended within one Redis round trip. */
  record(type: LiveEventType, payload: object): void {
    if (this.stopped) return;
    this.pending.push({ event: { type, payload } });
    if (this.pending.length > this.maxPending) this.dropOldest();
    this.schedule();
  }

  /**
   * Appends relayed events together with the relay's new position (atomically: the position moves
   * exactly when they are in). Resolves once they are; rejects if they never will be (fenced, stopped).
   */
  relay(events: readonly LiveEventRecord[], position: string): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the event appender is stopped'));
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => (error ? reject(error) : resolve());
      const items: Pending[] = events.length > 0 ? events.map((event): Pending => ({ event, relayed: true })) : [{ event: null, relayed: true }];
      items[items.length - 1]!.relay = { position, settle };
      this.pending.push(...items);
      this.schedule();
    });
  }

  /** Appends what is queued (waiting up to `timeoutMs` for Redis), then takes nothing more. */
  async stop(timeoutMs = 2_000): Promise<void> {
    if (this.stopped) return;
    this.schedule();
    const drained = (async () => {
      while (this.pending.length > 0 || this.flushing || this.scheduled) await (this.flushing ?? new Promise((resolve) => setImmediate(resolve)));
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.stopped = true;
    if (this.pending.length > 0) this.options.logger.warn('live events not appended before the stop were dropped', { events: this.pending.length });
    this.abandon(this.pending.splice(0), new Error('the event appender stopped'));
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.pending.length === 0) return;
    this.scheduled = true;
    // Everything recorded in this turn of the event loop goes in one call.
    setImmediate(() => {
      this.scheduled = false;
      this.flushing ??= this.flush().finally(() => {
        this.flushing = null;
        this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    let failures = 0;
    while (this.pending.length > 0 && !this.stopped) {
      const batch = this.pending.splice(0, BATCH);
      // A relayed batch goes in one call, so the relay's position never moves past half of it.
      while (batch.at(-1)?.relayed && !batch.at(-1)!.relay && this.pending.length > 0) batch.push(this.pending.shift()!);
      try {
        await this.append(batch);
        failures = 0;
        for (const item of batch) item.relay?.settle();
      } catch (error) {
        if (isFencedReply(error)) {
          const message = (error as Error).message;
          this.options.logger.warn('live events not appended: this node lost the lease', { events: batch.length + this.pending.length, error: message });
          this.stopped = true;
          this.abandon([...batch, ...this.pending.splice(0)], error as Error);
          this.options.fence.reportFenced(message);
          return;
        }
        this.pending.unshift(...batch);
        failures += 1;
        if (failures === 1) this.options.logger.warn('live events not appended yet; retrying', { events: this.pending.length, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** Math.min(failures, 6))).unref());
      }
    }
  }

  private async append(batch: readonly Pending[]): Promise<void> {
    const { key, fillsPositionKey, maxLen, fence } = this.options;
    let position = '';
    const args: string[] = [];
    for (const item of batch) {
      if (item.relay) position = item.relay.position;
      if (item.event) args.push(item.event.type, JSON.stringify(item.event.payload));
    }
    const last = (await APPEND_EVENTS.run(this.redis, [key, fillsPositionKey, fence.key ?? `${key}:unfenced`], [fence.scriptArg, String(maxLen), position, this.lastId, ...args])) as string;
    if (last !== '') this.lastId = last;
  }

  private dropOldest(): void {
    const index = this.pending.findIndex((item) => !item.relayed);
    if (index === -1) return;
    this.pending.splice(index, 1);
    this.dropped += 1;
    // One line per thousand: an outage long enough to fill the queue would otherwise flood the log.
    if (this.dropped % 1_000 === 1) this.options.logger.error('live events dropped: Redis has not taken them and the queue is full', { dropped: this.dropped, maxPending: this.maxPending });
  }

  private abandon(items: readonly Pending[], error: Error): void {
    for (const item of items) item.relay?.settle(error);
  }
}
