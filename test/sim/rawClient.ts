import net from 'node:net';

/** How long a raw client waits for a condition (harness.ts's value, without its @stoqey/ib import). */
const WAIT_MS = 5_000;

/** Length-prefixes NUL-terminated fields, as the V100+ protocol frames every message. */
export function frame(fields: readonly (string | number)[]): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

export function handshakeBytes(versions = 'v100..193'): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(Buffer.byteLength(versions));
  return Buffer.concat([Buffer.from('API\0', 'latin1'), header, Buffer.from(versions, 'latin1')]);
}

/** A raw TCP connection that records everything the server sends and whether it closed. */
export class RawClient {
  readonly socket: net.Socket;
  received = Buffer.alloc(0);
  closed = false;
  private readonly closedPromise: Promise<void>;
  private waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      this.received = Buffer.concat([this.received, chunk]);
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => undefined);
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        for (const wake of this.waiters.splice(0)) wake();
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects, handshakes and sends startApi; resolves once nextValidId has arrived. */
  static async ready(port: number, clientId: number): Promise<RawClient> {
    const client = await RawClient.connect(port);
    client.socket.write(handshakeBytes());
    await client.waitFor((frames) => frames.length >= 1);
    client.socket.write(frame([71, 2, clientId, '']));
    await client.waitFor((frames) => frames.some((f) => f[0] === '9'));
    return client;
  }

  /** Complete frames received so far, as field arrays. */
  frames(): string[][] {
    const out: string[][] = [];
    let offset = 0;
    while (offset + 4 <= this.received.length) {
      const length = this.received.readUInt32BE(offset);
      if (offset + 4 + length > this.received.length) break;
      out.push(this.received.subarray(offset + 4, offset + 4 + length).toString('utf8').replace(/\0$/, '').split('\0'));
      offset += 4 + length;
    }
    return out;
  }

  waitFor(done: (frames: string[][]) => boolean, timeoutMs = WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`raw client: condition not met in ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (done(this.frames())) {
          clearTimeout(timer);
          resolve();
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error('raw client: connection closed while waiting'));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Resolves when the server has closed the connection (rejects after the timeout). */
  waitClosed(timeoutMs = WAIT_MS): Promise<void> {
    return Promise.race([
      this.closedPromise,
      new Promise<void>((_, reject) => setTimeout(() => reject(new Error('server did not close the connection')), timeoutMs).unref()),
    ]);
  }

  /** Half-closes our side; the server finishes what it read, then closes too. */
  async finish(): Promise<void> {
    this.socket.end();
    await this.waitClosed();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
