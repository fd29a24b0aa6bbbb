import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_LENGTH } from '../../src/ib/wire/frameScanner';
import { FrameWriter } from '../../src/sim/protocol/frameWriter';
import { writeError } from '../../src/sim/protocol/outgoing/system';
import { MAX_SUPPORTED_SERVER_VERSION } from '../../src/sim';
import { waitUntil } from '../support/waitUntil';
import { hostileClient } from './hostileClient';
import { frame, HONEST_BYTES, HostileGateway, SIX_BYTES, watchEventLoop, type HostileScript } from './hostileGateway';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The loop must never stall for long: 250 ms allows for a busy shared box; the unguarded spin never ends. */
const MAX_LOOP_GAP_MS = 250;

async function setup(scriptFor: (connection: number) => HostileScript) {
  const gateway = await HostileGateway.start(scriptFor);
  cleanups.push(() => gateway.close());
  const loop = watchEventLoop();
  cleanups.push(() => loop.stop());
  const client = hostileClient(gateway.port);
  cleanups.push(() => client.stop());
  return { gateway, loop, client };
}

describe('a gateway that breaks the framing (real TCP, real @stoqey/ib, our guard)', () => {
  it('six bytes: a handshake reply with a negative length drops the connection as a protocol error, counts it, and reconnects with backoff', async () => {
    const { gateway, loop, client } = await setup(() => ({ when: 'handshakeReply', bytes: SIX_BYTES }));

    await waitUntil(() => gateway.connections >= 2, 'a reconnect after backoff', 5_000);
    expect(client.firstFailure?.counters.protocolErrors).toBe(1);
    expect(client.firstFailure?.counters.failedAttempts).toBe(1);
    expect(client.firstFailure?.lastError).toBe('protocol error: bad frame length at byte 0: frame length -4 outside 0..16777215');
    expect(client.states.slice(0, 3)).toEqual(['connecting', 'backoff', 'connecting']);
    // The event loop kept answering throughout (the unpatched, unguarded client never left its parse loop).
    expect(loop.ticks).toBeGreaterThan(0);
    expect(loop.longestGapMs).toBeLessThan(MAX_LOOP_GAP_MS);
  });

  it('an over-cap length after the handshake is refused at once (not after buffering 16 MB); the next, honest, connection is healthy', async () => {
    const { gateway, loop, client } = await setup((n) => ({ when: 'afterReady', bytes: n === 0 ? frame(MAX_FRAME_LENGTH + 1) : new Uint8Array() }));

    await waitUntil(() => client.counters().connects === 2 && client.states.at(-1) === 'connected', 'connected again on the second connection', 5_000);
    const counters = client.counters();
    expect(counters.protocolErrors).toBe(1);
    expect(counters.disconnects).toBe(1);
    expect(client.firstFailure?.lastError).toBe(`protocol error: bad frame length at byte ${HONEST_BYTES}: frame length ${MAX_FRAME_LENGTH + 1} outside 0..${MAX_FRAME_LENGTH}`);
    expect(client.states).toEqual(['connecting', 'handshaking', 'connected', 'backoff', 'connecting', 'handshaking', 'connected']);
    expect(gateway.connections).toBe(2);
    expect(loop.longestGapMs).toBeLessThan(MAX_LOOP_GAP_MS);
  });

  it('frames ahead of the bad prefix in the same write still reach the client', async () => {
    const out = new FrameWriter();
    writeError(out, MAX_SUPPORTED_SERVER_VERSION, -1, 2104, 'Market data farm connection is OK:usfarm');
    const bytes = Buffer.concat([out.take()!, frame(-1, Buffer.from('x'))]);
    const { client } = await setup(() => ({ when: 'afterReady', bytes }));

    await waitUntil(() => client.firstFailure !== null, 'the protocol error', 5_000);
    expect(client.firstFailure!.counters.messages).toBe(1);
    expect(client.firstFailure!.counters.protocolErrors).toBe(1);
    expect(client.firstFailure!.lastError).toMatch(/frame length -1 outside/);
  });
});
