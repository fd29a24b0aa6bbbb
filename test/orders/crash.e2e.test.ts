import { describe, expect, it } from 'vitest';
import { runOrderChaos } from '../../chaos/orders.ts';

describe('crash safety: kill -9 during order flow (runtime as a child process, standalone simulator)', () => {
  it('loses nothing, sends nothing twice, and leaves nothing unexplained', async () => {
    // No redisUrl: the run starts a Redis of its own that persists (broker mode ib refuses one that keeps nothing).
    const result = await runOrderChaos({ orders: 60, kills: 2, settleTimeoutMs: 40_000 });
    expect(result).toEqual({ orders: 60, kills: 2, lost: 0, duplicated: 0, unexplained: 0 });
  }, 120_000);
});
