import type { Redis } from 'ioredis';

/**
 * Atomically: the next block starts at max(high-water mark, the broker's nextValidId), and the
 * mark moves past the block. Ids handed out are never handed out again, across reconnects,
 * process restarts and several processes.
 */
const RESERVE_BLOCK = `
local mark = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
local size = tonumber(ARGV[2])
local first = math.max(mark, floor)
redis.call('SET', KEYS[1], first + size)
return first
`;

/**
 * IB order ids: they must increase per client and must never be reused. The broker's
 * nextValidId is a floor; the high-water mark in Redis covers ids we used but the broker
 * forgot (a gateway restart) or never saw (sent just before a crash).
 */
export class OrderIdAllocator {
  private next = 0;
  private end = 0;
  private floor = 0;
  private reserving: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly blockSize = 50,
  ) {}

  /** Every nextValidId from the broker raises the floor. */
  observeNextValidId(orderId: number): void {
    if (orderId > this.floor) this.floor = orderId;
    // Local ids below the broker's floor are stale: the broker has moved past them.
    if (this.next < this.floor) this.end = this.next;
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

  private async reserve(): Promise<void> {
    const first = Number(await this.redis.eval(RESERVE_BLOCK, 1, this.key, this.floor, this.blockSize));
    this.next = first;
    this.end = first + this.blockSize;
  }
}
