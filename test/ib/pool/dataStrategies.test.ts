import { describe, expect, it } from 'vitest';
import { ConnectionPool, NoHealthyConnectionError } from '../../../src/ib/pool/index.ts';
import { deferred, fakeMember, fakeMembers, manualClock } from './fakeMember.ts';

const ids = (picks: { id: string }[]) => picks.map((member) => member.id);

describe('round_robin', () => {
  it('takes healthy members in configuration order and wraps around', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b', 'c'), { config: { strategy: 'round_robin' } });
    expect(ids(Array.from({ length: 7 }, () => pool.pickForData()))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('skips an unhealthy member and takes it back in turn when it recovers', () => {
    const [a, b, c] = fakeMembers('a', 'b', 'c');
    const pool = new ConnectionPool([a!, b!, c!], { config: { strategy: 'round_robin' } });
    b!.healthy = false;
    expect(ids([pool.pickForData(), pool.pickForData(), pool.pickForData()])).toEqual(['a', 'c', 'a']);
    b!.healthy = true;
    expect(ids([pool.pickForData(), pool.pickForData()])).toEqual(['b', 'c']);
  });

  it('continues after the removed member rather than restarting', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b', 'c'), { config: { strategy: 'round_robin' } });
    pool.pickForData();
    pool.pickForData();
    pool.removeMember('b');
    expect(ids([pool.pickForData(), pool.pickForData()])).toEqual(['c', 'a']);
  });
});

describe('least_busy', () => {
  it('picks the member with the fewest requests in flight', () => {
    const pool = new ConnectionPool([fakeMember('a', true, 5), fakeMember('b', true, 1), fakeMember('c', true, 3)], {
      config: { strategy: 'least_busy' },
    });
    expect(pool.pickForData().id).toBe('b');
  });

  it('ignores an idle member that is unhealthy', () => {
    const pool = new ConnectionPool([fakeMember('a', false, 0), fakeMember('b', true, 4), fakeMember('c', true, 2)], {
      config: { strategy: 'least_busy' },
    });
    expect(pool.pickForData().id).toBe('c');
  });

  it('shares the work in turn between equally idle members', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b'), { config: { strategy: 'least_busy' } });
    expect(ids([pool.pickForData(), pool.pickForData(), pool.pickForData()])).toEqual(['a', 'b', 'a']);
  });

  it('counts requests the pool itself has running when the member does not report them', async () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b'), { config: { strategy: 'least_busy' } });
    const held = deferred<void>();
    const first = pool.runOnData(async (member) => {
      await held.promise;
      return member.id;
    });
    expect(pool.loadOf('a')).toBe(1);
    expect(pool.pickForData().id).toBe('b');
    expect(pool.pickForData().id).toBe('b');
    held.resolve();
    await expect(first).resolves.toBe('a');
    expect(pool.loadOf('a')).toBe(0);
  });

  it('does not double count when the member reports the same requests', async () => {
    const a = fakeMember('a');
    const pool = new ConnectionPool([a, fakeMember('b', true, 1)], { config: { strategy: 'least_busy' } });
    const held = deferred<void>();
    const running = pool.runOnData(async () => {
      a.busy += 1;
      await held.promise;
      a.busy -= 1;
    });
    expect(pool.loadOf('a')).toBe(1);
    held.resolve();
    await running;
  });
});

describe('fastest', () => {
  it('tries every untried member before trusting latency', async () => {
    const clock = manualClock();
    const pool = new ConnectionPool(fakeMembers('a', 'b', 'c'), { config: { strategy: 'fastest' }, now: clock.now });
    pool.recordLatency('a', 5);
    expect(pool.pickForData().id).toBe('b');
    pool.recordLatency('b', 50);
    expect(pool.pickForData().id).toBe('c');
    pool.recordLatency('c', 20);
    expect(ids([pool.pickForData(), pool.pickForData()])).toEqual(['a', 'a']);
  });

  it('follows the EWMA when a fast member slows down', () => {
    const pool = new ConnectionPool(fakeMembers('a', 'b'), { config: { strategy: 'fastest', latencyEwmaAlpha: 0.5 } });
    pool.recordLatency('a', 10);
    pool.recordLatency('b', 30);
    expect(pool.pickForData().id).toBe('a');
    pool.recordLatency('a', 100); // EWMA 55
    expect(pool.latencyOf('a')).toBe(55);
    expect(pool.pickForData().id).toBe('b');
  });

  it('measures latency of requests run through the pool with the injected clock', async () => {
    const clock = manualClock();
    const pool = new ConnectionPool(fakeMembers('a', 'b'), { config: { strategy: 'fastest' }, now: clock.now });
    await pool.runOnData(async () => clock.advance(40));
    await pool.runOnData(async () => clock.advance(15));
    expect(pool.latencyOf('a')).toBe(40);
    expect(pool.latencyOf('b')).toBe(15);
    expect(pool.pickForData().id).toBe('b');
  });

  it('does not let a quickly failing member look fast', async () => {
    const clock = manualClock();
    const pool = new ConnectionPool(fakeMembers('a'), { config: { strategy: 'fastest' }, now: clock.now });
    await expect(pool.runOnData(async () => Promise.reject(new Error('IB said no')))).rejects.toThrow('IB said no');
    expect(pool.latencyOf('a')).toBeNull();
    expect(pool.loadOf('a')).toBe(0);
  });

  it('spreads a burst over untried members instead of piling it on one', () => {
    const a = fakeMember('a', true, 0);
    const b = fakeMember('b', true, 0);
    const pool = new ConnectionPool([a, b], { config: { strategy: 'fastest' } });
    a.busy = 3;
    expect(pool.pickForData().id).toBe('b');
  });
});

describe('no healthy member', () => {
  it.each(['round_robin', 'least_busy', 'fastest'] as const)('%s throws NoHealthyConnectionError naming the members', (strategy) => {
    const pool = new ConnectionPool([fakeMember('primary', false), fakeMember('backup', false)], { config: { strategy } });
    expect(() => pool.pickForData()).toThrow(NoHealthyConnectionError);
    expect(() => pool.pickForData()).toThrow('no healthy IB connection for data requests (configured: primary, backup)');
  });

  it('runOnData rejects without calling the request', async () => {
    const pool = new ConnectionPool([fakeMember('a', false)]);
    let called = false;
    await expect(
      pool.runOnData(async () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(NoHealthyConnectionError);
    expect(called).toBe(false);
  });

  it('an empty pool says nothing is configured', () => {
    expect(() => new ConnectionPool([]).pickForData()).toThrow('no IB connection is configured for data requests');
  });
});
