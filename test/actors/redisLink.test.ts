import { createActor, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { redisLinkActor } from '../../src/actors/redisLink.ts';
import { createRedisLinkMachine } from '../../src/machines/redisLink/redisLinkMachine.ts';
import { REDIS_URL } from '../support/redisUrl.ts';


describe('redis link (real Redis)', () => {
  it('comes up, answers PING with a latency, and closes gracefully on tradewire.shutdown', async () => {
    const actor = createActor(createRedisLinkMachine(redisLinkActor(REDIS_URL)), { input: { server: REDIS_URL } }).start();
    await waitFor(actor, (s) => s.matches('up'), { timeout: 5_000 });
    actor.send({ type: 'PING' });
    const pinged = await waitFor(actor, (s) => s.context.lastPingMs !== null, { timeout: 5_000 });
    expect(pinged.context.lastPingMs).toBeGreaterThanOrEqual(0);
    actor.send({ type: 'tradewire.shutdown' });
    const closed = await waitFor(actor, (s) => s.status === 'done', { timeout: 5_000 });
    expect(closed.value).toBe('closed');
  });

  it('reports the server as unreachable without crashing, and keeps trying', async () => {
    const actor = createActor(createRedisLinkMachine(redisLinkActor('redis://127.0.0.1:1')), { input: { server: 'x' } }).start();
    const failing = await waitFor(actor, (s) => s.context.lastError !== null, { timeout: 5_000 });
    expect(failing.value).toBe('connecting');
    expect(failing.context.lastError).toMatch(/ECONNREFUSED/);
    actor.stop();
  });
});
