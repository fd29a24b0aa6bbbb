import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameScanner, MAX_FRAME_LENGTH } from '../../src/ib/wire/frameScanner.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { hostileClient } from './hostileClient.ts';
import { frame, HostileGateway, watchEventLoop, type HostileScript } from './hostileGateway.ts';

/**
 * Whatever a gateway sends, in the handshake reply or after it, the connection actor (real
 * @stoqey/ib client behind our guard, over real TCP) never stalls the event loop, always ends the
 * attempt and reconnects with backoff, and counts a protocol error exactly when a length prefix
 * is negative or over the cap. The peer closes after its bytes, so every run ends.
 */

// A spin on a bad frame never ends; anything under a second is scheduling noise on a shared 2-core box.
const MAX_LOOP_GAP_MS = 1_000;

let gateway: HostileGateway;
beforeAll(async () => {
  gateway = await HostileGateway.start(() => ({ when: 'handshakeReply', bytes: new Uint8Array() }));
});
afterAll(async () => {
  await gateway.close();
});

const when = fc.constantFrom<HostileScript['when']>('handshakeReply', 'afterReady');

const lengthPrefix = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.constant(0),
  fc.integer({ min: MAX_FRAME_LENGTH + 1, max: 2 ** 31 - 1 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
);

/** Does this byte stream (read from a frame boundary) hold a prefix the client must refuse? */
function breaksFraming(bytes: Uint8Array): boolean {
  return new FrameScanner().scan(bytes) !== null;
}

async function runAgainst(script: HostileScript) {
  gateway.use(() => ({ ...script, thenClose: true }));
  const connectionsBefore = gateway.connections;
  const loop = watchEventLoop();
  const client = hostileClient(gateway.port);
  try {
    await waitUntil(() => gateway.connections >= connectionsBefore + 2, 'the attempt to end and a reconnect to follow', 3_000);
    return { firstFailure: client.firstFailure!, states: client.states, longestGapMs: loop.longestGapMs };
  } finally {
    client.stop();
    loop.stop();
  }
}

describe('hostile gateway bytes (property, real TCP)', () => {
  it('length prefixes: negative and over-cap ones are protocol errors; none stalls the loop; every attempt ends in backoff and a reconnect', async () => {
    await fc.assert(
      fc.asyncProperty(when, lengthPrefix, fc.uint8Array({ maxLength: 24 }), async (position, length, tail) => {
        const bytes = Buffer.concat([frame(length), tail]);
        const run = await runAgainst({ when: position, bytes });
        // A legal prefix can still be followed by a tail whose own next prefix is not.
        const refused = length < 0 || length > MAX_FRAME_LENGTH || breaksFraming(bytes);
        expect(run.longestGapMs).toBeLessThan(MAX_LOOP_GAP_MS);
        expect(run.states).toContain('backoff');
        if (refused) {
          expect(run.firstFailure.counters.protocolErrors).toBe(1);
          expect(run.firstFailure.lastError).toMatch(/^protocol error: bad frame length at byte \d+: frame length -?\d+ outside/);
        } else {
          expect(run.firstFailure.lastError ?? '').not.toMatch(/bad frame length/);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('random byte streams: never a stall, always an end; a protocol error is counted exactly when the framing breaks', async () => {
    await fc.assert(
      fc.asyncProperty(when, fc.uint8Array({ minLength: 1, maxLength: 200 }), async (position, bytes) => {
        const run = await runAgainst({ when: position, bytes });
        expect(run.longestGapMs).toBeLessThan(MAX_LOOP_GAP_MS);
        expect(run.states).toContain('backoff');
        if (breaksFraming(bytes)) {
          expect(run.firstFailure.counters.protocolErrors).toBe(1);
          expect(run.firstFailure.lastError).toMatch(/^protocol error: bad frame length/);
        } else {
          // Well framed garbage may still be undecodable (a decoder failure), but it is never a framing error.
          expect(run.firstFailure.lastError ?? '').not.toMatch(/bad frame length/);
        }
      }),
      { numRuns: 20 },
    );
  });
});
