import net from 'node:net';
import { FrameWriter } from '../../src/sim/protocol/frameWriter.ts';
import { writeManagedAccounts, writeNextValidId, writeServerVersion } from '../../src/sim/protocol/outgoing/system.ts';
import { MAX_SUPPORTED_SERVER_VERSION } from '../../src/sim/index.ts';

/**
 * What a hostile gateway does on one connection once the client has said hello ("API\0" and its
 * version range): answer the handshake with `bytes`, or complete the handshake honestly
 * (server version, then managed accounts and nextValidId after startApi) and send `bytes` then.
 * An empty `bytes` after an honest handshake is a well-behaved (silent) gateway.
 */
export interface HostileScript {
  when: 'handshakeReply' | 'afterReady';
  bytes: Uint8Array;
  /** Close the socket (FIN) right after the bytes: every run then ends, framing broken or not. */
  thenClose?: boolean;
}

const HELLO_PREFIX = 8; // "API\0" + int32 length of the version string

/** A int32 big-endian length prefix followed by `payload`. */
export function frame(length: number, payload: Uint8Array = new Uint8Array()): Buffer {
  const out = Buffer.alloc(4 + payload.length);
  out.writeInt32BE(length | 0, 0);
  out.set(payload, 4);
  return out;
}

function honestHandshake() {
  const out = new FrameWriter();
  writeServerVersion(out, MAX_SUPPORTED_SERVER_VERSION, '20260101 00:00:00 UTC');
  const serverVersion = out.take()!;
  writeManagedAccounts(out, ['DU1234567']);
  writeNextValidId(out, 1);
  return { serverVersion, ready: out.take()! };
}

/** What an honest gateway sends: the server version frame, then (after startApi) accounts and nextValidId. */
export const HONEST = honestHandshake();

/** Inbound bytes before an `afterReady` script's hostile bytes. */
export const HONEST_BYTES = HONEST.serverVersion.length + HONEST.ready.length;

/** The six bytes of the issue: a handshake reply whose length prefix is -4, then two payload bytes. */
export const SIX_BYTES = Buffer.from([0xff, 0xff, 0xff, 0xfc, 0x31, 0x00]);

/**
 * A TCP peer on 127.0.0.1 that speaks just enough of the TWS handshake to get a client to the
 * point the script wants, then misbehaves. Each connection asks `scriptFor(n)` (n from 0) what to do.
 */
export class HostileGateway {
  connections = 0;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private scriptFor: (connection: number) => HostileScript) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  static async start(scriptFor: (connection: number) => HostileScript): Promise<HostileGateway> {
    const gateway = new HostileGateway(scriptFor);
    await new Promise<void>((resolve) => gateway.server.listen(0, '127.0.0.1', resolve));
    return gateway;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Swaps the script for connections made from now on. */
  use(scriptFor: (connection: number) => HostileScript): void {
    this.scriptFor = scriptFor;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const script = this.scriptFor(this.connections++);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let inbound = Buffer.alloc(0);
    let stage: 'hello' | 'startApi' | 'done' = 'hello';
    socket.on('data', (chunk: Buffer) => {
      inbound = Buffer.concat([inbound, chunk]);
      if (stage === 'hello') {
        if (inbound.length < HELLO_PREFIX || inbound.length < HELLO_PREFIX + inbound.readInt32BE(4)) return;
        inbound = inbound.subarray(HELLO_PREFIX + inbound.readInt32BE(4));
        if (script.when === 'handshakeReply') {
          stage = 'done';
          this.misbehave(socket, script);
          return;
        }
        socket.write(HONEST.serverVersion);
        stage = 'startApi';
      }
      if (stage === 'startApi' && inbound.length >= 4 && inbound.length >= 4 + inbound.readInt32BE(0)) {
        stage = 'done';
        socket.write(HONEST.ready);
        // Let the client reach `connected` before the hostile bytes arrive.
        setTimeout(() => this.misbehave(socket, script), 20);
      }
    });
  }

  private misbehave(socket: net.Socket, script: HostileScript): void {
    if (socket.destroyed) return;
    if (script.bytes.length > 0) socket.write(script.bytes);
    if (script.thenClose) socket.end();
  }
}

/**
 * Watches the event loop from a timer: the longest gap between ticks is how long the loop was
 * blocked. A client spinning on a bad frame shows up here as a gap that never ends.
 */
export function watchEventLoop(intervalMs = 5) {
  let last = performance.now();
  let longestGapMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    ticks += 1;
  }, intervalMs);
  return {
    get ticks() {
      return ticks;
    },
    get longestGapMs() {
      return longestGapMs;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
