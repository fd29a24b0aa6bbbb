import type { Redis } from 'ioredis';

/** `foreign_client_order`: an order placed under another IB client id, which IB will not let this session cancel or modify. */
export type BreakKind = 'unknown_fill' | 'overfill' | 'position_mismatch' | 'foreign_client_order';

export interface ReconciliationBreak {
  symbol: string;
  kind: BreakKind;
  detail: string;
  at: string;
}

/** The bus topic of a break that opened or was cleared (payload: BreakChange). */
export const BREAK_TOPIC = 'reconciliation.break';

/** A break that opened, or one that was cleared (by anyone, on any node: seen at the next refresh). */
export interface BreakChange extends ReconciliationBreak {
  state: 'open' | 'cleared';
}

/**
 * Reconciliation breaks by instrument, in Redis so they outlive restarts and can be cleared from
 * the CLI. An instrument with a break is locked for new orders until someone clears it.
 */
export class BreakRegistry {
  private locked = new Set<string>();
  private current: ReconciliationBreak[] = [];
  /** Set by the first refresh: breaks found then were open before, not news. */
  private loaded = false;

  constructor(
    private readonly redis: Redis,
    /** Hash symbol -> break (JSON): the namespace's namespaceKeys().orderBreaks. */
    readonly key: string,
    /** Told of each break that opens or clears after the first refresh. */
    private readonly onChange?: (change: BreakChange) => void,
  ) {}

  /** The live set the pre-trade checks read; refreshed in place. */
  get lockedInstruments(): ReadonlySet<string> {
    return this.locked;
  }

  get breaks(): readonly ReconciliationBreak[] {
    return this.current;
  }

  async record(entry: ReconciliationBreak): Promise<boolean> {
    const added = await this.redis.hsetnx(this.key, entry.symbol, JSON.stringify(entry));
    await this.refresh();
    return added === 1;
  }

  async clear(symbol: string): Promise<boolean> {
    const removed = await this.redis.hdel(this.key, symbol);
    await this.refresh();
    return removed === 1;
  }

  async refresh(): Promise<void> {
    const all = await this.redis.hgetall(this.key);
    const before = this.current;
    this.current = Object.values(all).map((raw) => JSON.parse(raw) as ReconciliationBreak);
    const next = new Set(Object.keys(all));
    for (const symbol of [...this.locked]) if (!next.has(symbol)) this.locked.delete(symbol);
    for (const symbol of next) this.locked.add(symbol);
    if (this.loaded) this.announce(before);
    this.loaded = true;
  }

  private announce(before: readonly ReconciliationBreak[]): void {
    if (!this.onChange) return;
    const was = new Map(before.map((entry) => [entry.symbol, entry]));
    for (const entry of this.current) {
      const previous = was.get(entry.symbol);
      was.delete(entry.symbol);
      if (previous && previous.at === entry.at && previous.kind === entry.kind) continue;
      // The same symbol under a new break: the old one was cleared and this one recorded between two refreshes.
      if (previous) this.onChange({ ...previous, at: entry.at, state: 'cleared' });
      this.onChange({ ...entry, state: 'open' });
    }
    for (const entry of was.values()) this.onChange({ ...entry, at: new Date().toISOString(), state: 'cleared' });
  }
}
