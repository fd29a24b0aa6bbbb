import { describe, expect, it } from 'vitest';
import { BreakRegistry, type BreakChange } from '../../src/orders/breakRegistry.ts';
import { useSharedRedis } from '../support/sharedRedis.ts';

const shared = useSharedRedis('events-breaks');
const prefix = shared.prefix;

describe('reconciliation break changes (the source of `break` events)', () => {
  it('announces breaks that open and clear after the first refresh, wherever they were cleared; breaks found at start are not news', async () => {
    const key = `${prefix}:breaks`;
    await new BreakRegistry(shared.redis(), key).record({ symbol: 'CL', kind: 'position_mismatch', detail: 'from before', at: '2026-12-01T00:00:00.000Z' });
    const changes: BreakChange[] = [];
    const registry = new BreakRegistry(shared.redis(), key, (change) => changes.push(change));
    await registry.refresh();
    expect(changes).toEqual([]);

    await registry.record({ symbol: 'ES', kind: 'overfill', detail: 'exec x1', at: '2026-12-02T00:00:00.000Z' });
    // Cleared by the admin API's own registry (another instance, maybe another node): seen at the next refresh.
    await new BreakRegistry(shared.redis(), key).clear('CL');
    await registry.refresh();
    await registry.clear('ES');
    expect(changes).toEqual([
      { symbol: 'ES', kind: 'overfill', detail: 'exec x1', at: '2026-12-02T00:00:00.000Z', state: 'open' },
      { symbol: 'CL', kind: 'position_mismatch', detail: 'from before', at: expect.any(String), state: 'cleared' },
      { symbol: 'ES', kind: 'overfill', detail: 'exec x1', at: expect.any(String), state: 'cleared' },
    ]);
    expect(changes[1]!.at).not.toBe('2026-12-01T00:00:00.000Z');
  });

  it('a break cleared and recorded again between two refreshes is a clear and an open', async () => {
    const key = `${prefix}:again`;
    const changes: BreakChange[] = [];
    const registry = new BreakRegistry(shared.redis(), key, (change) => changes.push(change));
    await registry.record({ symbol: 'GC', kind: 'unknown_fill', detail: 'a', at: '2026-12-01T00:00:00.000Z' });
    await registry.refresh();
    await shared.redis().hset(key, 'GC', JSON.stringify({ symbol: 'GC', kind: 'overfill', detail: 'b', at: '2026-12-03T00:00:00.000Z' }));
    await registry.refresh();
    expect(changes.map((change) => [change.state, change.kind])).toEqual([
      ['cleared', 'unknown_fill'],
      ['open', 'overfill'],
    ]);
  });
});
