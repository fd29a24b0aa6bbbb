// Hand-made: on the per-message send path, and no maintained package gives O(1) shift without allocation per item.
/**
 * FIFO over a power-of-two ring buffer: O(1) push and shift, no allocation per item
 * (the backing array doubles when full, amortised O(1)). `Array.prototype.shift` is O(n).
 */
export class RingQueue<T> {
  private slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 16) {
    let capacity = 1;
    while (capacity < Math.max(1, initialCapacity)) capacity *= 2;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.slots.length) this.grow();
    this.slots[(this.head + this.count) & (this.slots.length - 1)] = item;
    this.count++;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head];
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.head];
    // Release the reference so a sent message can be collected.
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.count--;
    return item;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.slots.length * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = this.slots[(this.head + i) & (this.slots.length - 1)];
    this.slots = next;
    this.head = 0;
  }
}
