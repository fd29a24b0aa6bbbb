import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { EventAppender, LiveEventRecord } from './eventAppender.ts';
import type { RawStreamEntry } from './eventEntry.ts';
import type { LiveEventPayload } from './liveEventSchemas.ts';
import { STREAM_START } from './streamIds.ts';

export interface FillsRelayOptions {
  /** The fills stream (namespaceKeys().fillStream). */
  fillsKey: string;
  /** The relay's position (namespaceKeys().eventStreamFillsPosition), moved with each append. */
  positionKey: string;
  appender: EventAppender;
  logger: Logger;
  /** How long one blocking read waits (ms); a stop does not wait for it. */
  blockMs?: number;
}

/**
 * Each execution of the fills stream as a `fill` event: the stream already holds every execution
 * once, with its own price and contract month, so the events are read from it rather than rebuilt.
 * The position it has relayed up to moves atomically with the appends (see the appender), so a node
 * that takes over resumes exactly where the last one stopped.
 */
export class FillsRelay {
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly connection: Redis;

  /** `redis` is duplicated: the relay blocks on a connection of its own. */
  constructor(
    redis: Redis,
    private readonly options: FillsRelayOptions,
  ) {
    this.connection = redis.duplicate();
    this.connection.on('error', (error: Error) => options.logger.debug('fills relay redis error', { error: error.message }));
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // A blocking read in progress ends with the connection.
    this.connection.disconnect();
    await this.running;
  }

  private async run(): Promise<void> {
    let position: string | null = null;
    let failures = 0;
    while (!this.stopped) {
      try {
        position ??= await this.startingPosition();
        const reply = (await this.connection.xread('COUNT', 500, 'BLOCK', this.options.blockMs ?? 2_000, 'STREAMS', this.options.fillsKey, position)) as [string, RawStreamEntry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        const events = entries.flatMap(([, fields]) => fillEventOf(fields));
        const next = entries[entries.length - 1]![0];
        await this.options.appender.relay(events, next);
        position = next;
        failures = 0;
      } catch (error) {
        if (this.stopped) return;
        failures += 1;
        if (failures === 1) this.options.logger.warn('fills not relayed to the event stream yet; retrying', { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** Math.min(failures, 5))).unref());
      }
    }
  }

  /**
   * Where the last relay stopped; the first time, the fills stream's end (earlier fills are not
   * news), written at once so that a fill appended before this node relays anything is relayed by
   * the next one if this one dies.
   */
  private async startingPosition(): Promise<string> {
    const { fillsKey, positionKey } = this.options;
    const [last] = (await this.connection.xrevrange(fillsKey, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
    await this.connection.set(positionKey, last?.[0] ?? STREAM_START, 'NX');
    return (await this.connection.get(positionKey)) ?? STREAM_START;
  }
}

/** A fills-stream entry as a `fill` event; none for a `commission` entry (or one that is not a fill). */
export function fillEventOf(fields: readonly string[]): LiveEventRecord[] {
  const entry: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) entry[fields[i]!] = fields[i + 1]!;
  if (entry.type !== 'fill') return [];
  const { execId, clientOrderId, parentClientOrderId, account, symbol, contractMonth, side, price, quantity, time, commission } = entry;
  if (!execId || !clientOrderId || !account || !symbol || !contractMonth || !side || !time || price === undefined || quantity === undefined) return [];
  const payload: LiveEventPayload<'fill'> = {
    execId,
    clientOrderId,
    ...(parentClientOrderId ? { parentClientOrderId } : {}),
    account,
    symbol,
    contractMonth,
    side,
    price: Number(price),
    quantity: Number(quantity),
    time,
    ...(commission !== undefined ? { commission: Number(commission) } : {}),
  };
  return [{ type: 'fill', payload }];
}
