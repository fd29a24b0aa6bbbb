import type { Redis } from 'ioredis';
import { Fence, FencedError, isFencedReply } from '../lease/fence.ts';
import type { Logger } from '../log/logger.ts';
import { luaScript } from '../redis/luaScript.ts';
import type { Fill } from '../machines/orders/orderTypes.ts';
import type { FillStreamCommission, FillStreamExecution } from './schema/fillMessages.ts';

export type { FillStreamCommission, FillStreamExecution };

const APPEND_ONCE = luaScript('appendOnce-stream-marker-fence.lua', { prelude: 'refuseIfFenced-fence.lua' });

/** `orders.fillStream` in the config: how much of the stream Redis keeps, and how long a replay is recognised. */
export interface FillStreamRetention {
  /** Approximate length the stream is trimmed to on every append (`XADD ... MAXLEN ~`). */
  maxLen: number;
  /** How long an execution's marker lives: a fill replayed within it is not appended again. */
  dedupeWindowMs: number;
}

export const DEFAULT_FILL_STREAM_RETENTION: FillStreamRetention = { maxLen: 100_000, dedupeWindowMs: 30 * 24 * 3_600_000 };

export interface FillStreamOptions extends FillStreamRetention {
  /** The stream (namespaceKeys().fillStream). */
  key: string;
  /** An execution's marker hash (namespaceKeys().fillStreamMarker). */
  markerKey: (execId: string) => string;
  /** This node's lease: a node that lost it appends nothing (none: unfenced). */
  fence?: Fence;
  logger: Logger;
}

/** What an execution's entry says of its order. */
export type FillStreamOrder = Pick<FillStreamExecution, 'clientOrderId' | 'parentClientOrderId' | 'account' | 'symbol' | 'contractMonth' | 'side'>;

/**
 * One booked execution as a stream entry: the whole execution (a publication may carry only its
 * part beyond what was published before, but the stream holds each execution once, entire). Its
 * time is the one the order stored with the fill (so the order's executions and the stream agree),
 * now for a fill stored before fills kept one.
 */
export function streamExecution(order: FillStreamOrder, added: { fill: Fill }, time: string = added.fill.time ?? new Date().toISOString()): FillStreamExecution {
  const { execId, price, quantity, commission } = added.fill;
  return { ...order, execId, price, quantity, time, ...(commission !== undefined ? { commission } : {}) };
}

/**
 * An entry's fields as Redis keeps them (and `schemas/*-stream-entry.json` describe them): every
 * value a string, absent ones left out.
 */
export function streamEntryFields(entry: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(entry).flatMap(([field, value]) => (value === undefined ? [] : [[field, String(value)]])));
}

const fieldsOf = (entry: Record<string, string | number | undefined>): string[] => Object.entries(streamEntryFields(entry)).flat();

/**
 * The fills stream (`<ns>:stream:fills`): every execution and every commission that came after its
 * execution, once each (per execId, across restarts and replays), for any number of consumer
 * groups, each of which reads all of it. Unlike the `fills` queue, nothing is taken off it by a reader.
 */
export class FillStream {
  private readonly fence: Fence;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: FillStreamOptions,
  ) {
    this.fence = options.fence ?? Fence.none();
  }

  /** Appends the executions in order; true per execution when this call appended it (false: it was already there). */
  async appendExecutions(executions: readonly FillStreamExecution[]): Promise<boolean[]> {
    const appended: boolean[] = [];
    for (const { commission, ...e } of executions) {
      appended.push(await this.appendOnce('fill', e.execId, commission === undefined ? '' : String(commission), fieldsOf({ type: 'fill', ...e })));
    }
    return appended;
  }

  /** A commission reported after its execution was appended (or before: consumers join the two on execId). */
  async appendCommission(commission: FillStreamCommission): Promise<boolean> {
    return this.appendOnce('commission', commission.execId, '', fieldsOf({ type: 'commission', ...commission }));
  }

  /** No more retries: what is not in the stream yet is appended from the store's outbox at the next start. */
  close(): void {
    this.closed = true;
  }

  /** Retries while Redis does not answer; a fenced node stops at once (the new active node appends). */
  private async appendOnce(kind: 'fill' | 'commission', execId: string, fillCommission: string, fields: string[]): Promise<boolean> {
    const { key, markerKey, maxLen, dedupeWindowMs } = this.options;
    const keys = [key, markerKey(execId), this.fence.key ?? `${key}:unfenced`];
    const args = [kind, this.fence.scriptArg, String(maxLen), String(dedupeWindowMs), fillCommission, ...fields];
    for (let attempt = 1; ; attempt += 1) {
      try {
        const [added] = (await APPEND_ONCE.run(this.redis, keys, args)) as [number, string];
        return added === 1;
      } catch (error) {
        if (isFencedReply(error)) {
          const message = (error as Error).message;
          this.fence.reportFenced(message);
          throw new FencedError(message);
        }
        if (this.closed) throw error;
        if (attempt === 1) this.options.logger.warn('fill stream entry not appended yet; retrying', { execId, kind, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))).unref());
      }
    }
  }
}
