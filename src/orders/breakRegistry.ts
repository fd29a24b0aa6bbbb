import type { Redis } from 'ioredis';

/** `foreign_client_order`: an order placed under another IB client id, which IB will not let this session cancel or modify. */
export type BreakKind = 'unknown_fill' | 'overfill' | 'position_mismatch' | 'foreign_client_order';

export interface ReconciliationBreak {
  symbol: string;
  kind: BreakKind;
  detail: string;
  at: string;
}

/**
 * Reconciliation breaks by instrument, in Redis so they outlive restarts and can be cleared from
 * the CLI. An instrument with a break is locked for new orders until someone clears it.
 */
export class BreakRegistry {
  private locked = new Set<string>();
  private current: ReconciliationBreak[] = [];

  constructor(
    private readonly redis: Redis,
    /** Hash symbol -> break (JSON): the namespace's namespaceKeys().orderBreaks. */
    readonly key: string,
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
    this.current = Object.values(all).map((raw) => JSON.parse(raw) as ReconciliationBreak);
    const next = new Set(Object.keys(all));
    for (const symbol of [...this.locked]) if (!next.has(symbol)) this.locked.delete(symbol);
    for (const symbol of next) this.locked.add(symbol);
  }
}
