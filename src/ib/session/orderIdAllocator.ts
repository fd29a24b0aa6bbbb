import type { Redis } from 'ioredis';
import { luaScript } from '../../redis/luaScript.ts';

const RESERVE_BLOCK = luaScript('reserveBlock-mark.lua');
const RAISE_MARK = luaScript('raiseMark-mark.lua');

/**
 * IB order ids: they must increase per client and must never be reused. The broker's
 * nextValidId is a floor; the high-water mark in Redis covers ids we used but the broker
 * forgot (a gateway restart) or never saw (sent just before a crash). Each block starts at
 * max(mark, floor), and the mark moves past it atomically, so ids handed out are never handed out
 * again, across reconnects, process restarts and several processes.
 */
export class OrderIdAllocator {
  private next = 0;
  private end = 0;
  private floor = 0;
  /** The highest mark this process wrote or raised: ids never go back below it, even if Redis forgets. */
  private highest = 0;
  private reserving: Promise<void> | null = null;
  private readonly nextValidIdListeners = new Set<(orderId: number) => void>();

  constructor(
    private readonly redis: Redis,
    /** The Redis key of the high-water mark (see createIbConnection). */
    readonly key: string,
    private readonly blockSize = 50,
  ) {}

  /** Every nextValidId from the broker raises the floor. */
  observeNextValidId(orderId: number): void {
    if (orderId > this.floor) this.floor = orderId;
    // Local ids below the broker's floor are stale: the broker has moved past them.
    if (this.next < this.floor) this.end = this.next;
    for (const listener of [...this.nextValidIdListeners]) listener(orderId);
  }

  /** Told of each nextValidId the broker sends (on connect, and in answer to reqIds). */
  onNextValidId(listener: (orderId: number) => void): () => void {
    this.nextValidIdListeners.add(listener);
    return () => this.nextValidIdListeners.delete(listener);
  }

  async allocate(): Promise<number> {
    while (this.next >= this.end) {
      this.reserving ??= this.reserve().finally(() => {
        this.reserving = null;
      });
      await this.reserving;
    }
    const id = this.next;
    this.next += 1;
    return id;
  }

  /** The high-water mark as stored (for tests and diagnostics). */
  async highWaterMark(): Promise<number> {
    return Number((await this.redis.get(this.key)) ?? 0);
  }

  /** The highest mark this process has written: what the stored mark must never fall below. */
  get knownMark(): number {
    return this.highest;
  }

  /** The broker's nextValidId as last seen (0 before the first). */
  get brokerFloor(): number {
    return this.floor;
  }

  /**
   * After Redis lost the mark: ids go on from at least `atLeast` (the mark as the process knew it,
   * the broker's nextValidId), the local block is dropped, and the mark is written back at once so
   * the store carries it again. Resolves to the mark as stored.
   */
  async reseed(atLeast: number): Promise<number> {
    const target = Math.max(atLeast, this.highest, this.floor);
    if (target > this.floor) this.floor = target;
    this.end = this.next;
    // A reservation under way may have read the forgotten mark: let it land, then drop what it took.
    await this.reserving?.catch(() => undefined);
    this.end = this.next;
    const mark = Number(await RAISE_MARK.run(this.redis, [this.key], [target]));
    if (mark > this.highest) this.highest = mark;
    return mark;
  }

  private async reserve(): Promise<void> {
    // Never below what this process already reserved: a Redis that forgot the mark must not hand
    // out ids the broker has already seen (it would refuse them as duplicates, code 103).
    const floor = Math.max(this.floor, this.highest);
    const first = Number(await RESERVE_BLOCK.run(this.redis, [this.key], [floor, this.blockSize]));
    this.next = first;
    this.end = first + this.blockSize;
    if (this.end > this.highest) this.highest = this.end;
  }
}
