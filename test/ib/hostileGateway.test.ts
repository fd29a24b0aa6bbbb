import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_LENGTH } from '../../src/ib/wire/frameScanner.ts';
import { FrameWriter } from '../../src/sim/protocol/frameWriter.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { hostileClient } from './hostileClient.ts';
import { frame, HONEST_BYTES, HostileGateway, SIX_BYTES, watchEventLoop, type HostileScript } from './hostileGateway.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The unguarded spin never ends; anything under a second is scheduling noise on a shared 2-core box. */
const MAX_LOOP_GAP_MS = 1_000;

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

  it('a bad prefix behind a frame the decoder would choke on is still the protocol error that drops the connection', async () => {
    // An empty frame fails @stoqey/ib's decoder (505); the next prefix, 0x01000000, is over the cap.
    const bytes = Buffer.concat([frame(0), Buffer.from([1, 0, 0, 0])]);
    const { client } = await setup(() => ({ when: 'afterReady', bytes }));

    await waitUntil(() => client.firstFailure !== null, 'the connection to fail', 5_000);
    expect(client.firstFailure!.counters.protocolErrors).toBe(1);
    expect(client.firstFailure!.lastError).toBe(`protocol error: bad frame length at byte ${HONEST_BYTES + 4}: frame length ${MAX_FRAME_LENGTH + 1} outside 0..${MAX_FRAME_LENGTH}`);
  });

  it('a well-framed message the decoder throws on (broken JSON in an error message) costs the connection, not the process', async () => {
    const out = new FrameWriter();
    out.begin(4).int(2).int(-1).int(2104).str('farm ok').str('{not json').end();
    const { gateway, client } = await setup(() => ({ when: 'afterReady', bytes: out.take()! }));

    await waitUntil(() => gateway.connections >= 2, 'a reconnect after backoff', 5_000);
    expect(client.firstFailure!.counters.protocolErrors).toBe(1);
    expect(client.firstFailure!.lastError).toMatch(/^protocol error: decoder failed: .*JSON/);
  });
});
