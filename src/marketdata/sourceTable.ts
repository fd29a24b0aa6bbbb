import type { SourceHealth } from './tickBatch.ts';

export const SOURCE_HEALTHS: readonly SourceHealth[] = ['subscribing', 'streaming', 'stale', 'failed', 'stopped'];
export const HEALTH_STREAMING = 1;

/**
 * Source id <-> slot. Slots are handed out on first sight (a batch or a health report) up to a
 * fixed number, because every per-source table is a typed array sized by it.
 */
export class SourceTable {
  readonly ids: string[] = [];
  /** SOURCE_HEALTHS index per slot. */
  readonly health: Uint8Array;
  private readonly slotById = new Map<string, number>();

  constructor(readonly capacity: number, private readonly onRegister: (slot: number, id: string) => void) {
    this.health = new Uint8Array(capacity);
  }

  get count(): number {
    return this.ids.length;
  }

  /** The source's slot, registering it if there is room; -1 when every slot is taken. */
  slotOf(id: string): number {
    const known = this.slotById.get(id);
    if (known !== undefined) return known;
    if (this.ids.length >= this.capacity) return -1;
    const slot = this.ids.length;
    this.ids.push(id);
    this.slotById.set(id, slot);
    // A source that delivers ticks before its actor reports anything is taken to be streaming.
    this.health[slot] = HEALTH_STREAMING;
    this.onRegister(slot, id);
    return slot;
  }

  setHealth(slot: number, health: SourceHealth): void {
    const code = SOURCE_HEALTHS.indexOf(health);
    this.health[slot] = code < 0 ? 0 : code;
  }

  healthOf(slot: number): SourceHealth {
    return SOURCE_HEALTHS[this.health[slot]!] ?? 'stopped';
  }
}
