import net from 'node:net';
import fc from 'fast-check';
import { EventName, IBApi } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameScanner, MAX_FRAME_LENGTH } from '../../src/ib/wire/frameScanner.ts';
import { guardInboundFrames, guardSocketFrames, rawSocketOf, type InboundProtocolError } from '../../src/ib/wire/guardInboundFrames.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { frame } from './hostileGateway.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const badLength = fc.oneof(fc.integer({ min: -(2 ** 31), max: -1 }), fc.integer({ min: MAX_FRAME_LENGTH + 1, max: 2 ** 31 - 1 }));
const goodFrame = fc.uint8Array({ maxLength: 48 }).map((payload) => frame(payload.length, payload));

/** Splits `bytes` at the given cut points (deduplicated, sorted) into consecutive chunks. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return chunks;
}

describe('FrameScanner: follows length prefixes across any chunking', () => {
  it('never flags a well-framed stream, however it is cut', () => {
    fc.assert(
      fc.property(fc.array(goodFrame, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 12 }), (frames, cuts) => {
        const scanner = new FrameScanner();
        for (const chunk of chunked(Buffer.concat(frames), cuts)) expect(scanner.scan(chunk)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('flags the first negative or over-cap prefix at its exact stream offset, and everything before it is intact', () => {
    fc.assert(
      fc.property(
        fc.array(goodFrame, { maxLength: 10 }),
        badLength,
        fc.uint8Array({ maxLength: 16 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (frames, length, trailing, cuts) => {
          const before = Buffer.concat(frames);
          const stream = Buffer.concat([before, frame(length), trailing]);
          const scanner = new FrameScanner();
          let chunkEnd = 0;
          for (const chunk of chunked(stream, cuts)) {
            chunkEnd += chunk.length;
            const violation = scanner.scan(chunk);
            if (violation) {
              expect(violation.length).toBe(length);
              expect(violation.streamOffset).toBe(before.length);
              // Flagged in the chunk that completes the prefix, not earlier, not later.
              expect(chunkEnd).toBeGreaterThanOrEqual(before.length + 4);
              expect(chunkEnd - chunk.length).toBeLessThan(before.length + 4);
              expect(scanner.scan(Buffer.from([0]))).toBe(violation);
              return;
            }
          }
          throw new Error('the bad prefix was never flagged');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts the boundaries: 0 and the cap are lengths, -1 and cap + 1 are not', () => {
    expect(new FrameScanner().scan(frame(0))).toBeNull();
    expect(new FrameScanner().scan(frame(MAX_FRAME_LENGTH))).toBeNull();
    expect(new FrameScanner().scan(frame(-1))?.length).toBe(-1);
    expect(new FrameScanner().scan(frame(MAX_FRAME_LENGTH + 1))?.length).toBe(MAX_FRAME_LENGTH + 1);
  });
});

/** A connected pair of real sockets on 127.0.0.1: `peer` writes, `client` is the one we guard. */
async function socketPair(): Promise<{ client: net.Socket; peer: net.Socket }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const peer = await accepted;
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  cleanups.push(() => peer.destroy());
  cleanups.push(() => client.destroy());
  peer.on('error', () => undefined);
  return { client, peer };
}

describe('guardSocketFrames on a real socket', () => {
  it("never hands the client's reader the chunk with the bad prefix nor anything after it, and destroys the socket once", async () => {
    const { client, peer } = await socketPair();
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(Buffer.from(chunk)));
    const errors: InboundProtocolError[] = [];
    guardSocketFrames(client, (error) => errors.push(error));
    const good = Buffer.concat([frame(3, Buffer.from('1\0\0')), frame(2, Buffer.from('x\0'))]);
    peer.write(Buffer.concat([good, frame(-4), Buffer.from('after')]));

    await waitUntil(() => client.destroyed, 'the socket destroyed', 2_000);
    // Whatever arrived in earlier chunks was read; nothing from the chunk with the bad prefix on.
    expect(good.subarray(0, Buffer.concat(received).length)).toEqual(Buffer.concat(received));
    expect(errors).toEqual([{ kind: 'bad_frame_length', reason: `bad frame length at byte ${good.length}: frame length -4 outside 0..${MAX_FRAME_LENGTH}` }]);
  });

  it('a reader that throws drops the connection as a decoder failure instead of escaping', async () => {
    const { client, peer } = await socketPair();
    client.on('data', () => {
      throw new RangeError('Invalid array length');
    });
    const errors: InboundProtocolError[] = [];
    guardSocketFrames(client, (error) => errors.push(error));
    peer.write(frame(2, Buffer.from('1\0')));

    await waitUntil(() => client.destroyed, 'the socket destroyed', 2_000);
    expect(errors).toEqual([{ kind: 'decoder_failed', reason: 'decoder failed: Invalid array length' }]);
  });
});

describe('the installed @stoqey/ib still keeps its socket where the guard looks', () => {
  it('finds the socket of a connecting IBApi and guards it', async () => {
    const server = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const api = new IBApi({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    api.on(EventName.error, () => undefined);
    cleanups.push(() => api.disconnect());
    api.connect(1);

    expect(rawSocketOf(api)).toBeInstanceOf(net.Socket);
    expect(guardInboundFrames(api, () => undefined)).toBe(true);
    // The client's own reader is now behind the guard, not beside it.
    expect(rawSocketOf(api)!.listenerCount('data')).toBe(1);
  });
});
