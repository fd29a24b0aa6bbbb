import { Writable } from 'node:stream';
import fc from 'fast-check';
import winston from 'winston';
import { createLogger } from '../../src/log/logger.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwsSimulator } from '../../src/sim/index.ts';
import { EventName, TestClient } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';
import { TEST_SIM_CLOCK } from '../support/simClock.ts';
import { RawClient, frame, handshakeBytes } from './rawClient.ts';

/**
 * Hostile input over raw TCP. After every property the witness (a real IBApi client connected
 * throughout) must still get answers, proving the server neither crashed nor stalled.
 */
describe('garbage input never takes the server down', () => {
  let sim: TwsSimulator;
  let port: number;
  let witness: TestClient;
  // Fresh client ids per connection: a just-closed session may not be deregistered yet.
  let clientId = 1000;

  beforeAll(async () => {
    ({ sim, port } = await startSimulator({ pacing: { enabled: false } }));
    witness = new TestClient(port);
    await witness.connect(1);
  });
  afterAll(async () => {
    witness.disconnect();
    await sim.close();
  });

  async function witnessStillServed(): Promise<void> {
    const time = witness.next(EventName.currentTime);
    witness.ib.reqCurrentTime();
    await time;
    expect(witness.unexpectedErrors()).toEqual([]);
    expect(sim.clients().map((c) => c.clientId)).toEqual([1]);
  }

  it('random bytes before or instead of a handshake', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), async (bytes) => {
        const raw = await RawClient.connect(port);
        raw.socket.write(bytes);
        await raw.finish();
      }),
      { numRuns: 60 },
    );
    await witnessStillServed();
  });

  it('invalid or out-of-range version strings close the socket', async () => {
    const versions = fc.oneof(
      fc.constantFrom('v1..99', 'v194..250', 'v200', 'v', '', 'v100..', 'v150..120', 'hello'),
      fc.string({ maxLength: 30 }).filter((s) => !/^v\d+(\.\.\d+)?( |$)/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(versions, async (versionString) => {
        const raw = await RawClient.connect(port);
        raw.socket.write(handshakeBytes(versionString));
        await raw.waitClosed();
        expect(raw.frames()).toEqual([]);
      }),
      { numRuns: 40 },
    );
    await witnessStillServed();
  });

  it('oversize length prefixes close only the offending connection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0x1000000, max: 0xffffffff }), fc.boolean(), async (length, afterHandshake) => {
        // Before the handshake even a "valid" 16 MiB frame is refused: a version string is tiny.
        const raw = afterHandshake ? await RawClient.ready(port, clientId++) : await RawClient.connect(port);
        const header = Buffer.alloc(4);
        header.writeUInt32BE(length);
        raw.socket.write(afterHandshake ? header : Buffer.concat([Buffer.from('API\0', 'latin1'), header]));
        await raw.waitClosed();
      }),
      { numRuns: 30 },
    );
    await witnessStillServed();
  });

  it('a handshake that would need more than 4 KiB is refused without waiting for it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4097, max: 0xffffff }), async (length) => {
        const raw = await RawClient.connect(port);
        const header = Buffer.alloc(4);
        header.writeUInt32BE(length);
        raw.socket.write(Buffer.concat([Buffer.from('API\0', 'latin1'), header, Buffer.alloc(4100, 0x76)]));
        await raw.waitClosed();
      }),
      { numRuns: 20 },
    );
    await witnessStillServed();
  });

  it('random frames after a valid handshake: errors or a close, never a crash', async () => {
    const field = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('', '-1', '1', '0'));
    const messageId = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(1, 3, 4, 6, 7, 9, 20, 61, 62, 71));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(messageId, fc.array(field, { maxLength: 40 })), { minLength: 1, maxLength: 8 }), async (messages) => {
        const raw = await RawClient.ready(port, clientId++);
        raw.socket.write(Buffer.concat(messages.map(([id, fields]) => frame([id, ...fields]))));
        await raw.finish();
      }),
      { numRuns: 60 },
    );
    await witnessStillServed();
  });

  it('truncated frames (declared length never arrives) are dropped with the connection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 50 }), async (missing, extra) => {
        const raw = await RawClient.ready(port, clientId++);
        const full = frame([49, 1, 'x'.repeat(extra)]);
        raw.socket.write(full.subarray(0, Math.max(1, full.length - missing)));
        await raw.finish();
      }),
      { numRuns: 30 },
    );
    await witnessStillServed();
  });

  it('known requests with missing fields get error 320 and the session keeps working', async () => {
    const raw = await RawClient.ready(port, clientId++);
    raw.socket.write(frame([3, 45, 12]));
    await raw.waitFor((frames) => frames.some((f) => f[0] === '4' && f[3] === '320'));
    raw.socket.write(frame([12345]));
    await raw.waitFor((frames) => frames.some((f) => f[0] === '4' && f[3] === '505'));
    raw.socket.write(frame([49, 1]));
    await raw.waitFor((frames) => frames.some((f) => f[0] === '49'));
    await raw.finish();
    await witnessStillServed();
  });
});

describe('rejected handshakes are logged with the reason', () => {
  it('logs why an out-of-range version and a garbled prefix were refused', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: sink })] });
    const sim = new TwsSimulator({ clock: TEST_SIM_CLOCK, tickIntervalMs: 0, logger, serverVersionRange: { min: 150, max: 160 } });
    const { port } = await sim.listen(0);
    try {
      const tooOld = await RawClient.connect(port);
      tooOld.socket.write(handshakeBytes('v100..140'));
      await tooOld.waitClosed();
      const garbled = await RawClient.connect(port);
      garbled.socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      await garbled.waitClosed();
      const rejections = lines.filter((l) => l.message === 'handshake rejected').map((l) => l.reason);
      expect(rejections).toEqual([
        'client versions 100..140 outside server range 150..160',
        expect.stringMatching(/^garbled handshake: expected "API\\0"/),
      ]);
    } finally {
      await sim.close();
    }
  });
});
