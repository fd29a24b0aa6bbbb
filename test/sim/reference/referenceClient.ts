import net from 'node:net';
import { frame, handshakeBytes } from '../rawClient.ts';

const WAIT_MS = 5_000;

/**
 * A bare TWS API client over TCP that speaks exactly one server version (it offers `v<sv>..<sv>`)
 * and keeps every frame it receives as raw fields: no client library decodes anything here.
 */
export class ReferenceClient {
  private received = Buffer.alloc(0);
  private parsed: string[][] = [];
  private offset = 0;
  private closed = false;
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connects, handshakes at exactly `sv`, starts the API and waits for nextValidId. */
  static async open(port: number, sv: number, clientId: number): Promise<ReferenceClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
      s.once('error', reject);
    });
    const client = new ReferenceClient(socket);
    socket.write(handshakeBytes(`v${sv}..${sv}`));
    await client.waitFor((frames) => frames.length >= 1);
    const [first] = client.frames();
    if (Number(first?.[0]) !== sv) throw new Error(`server answered version ${first?.[0]}, expected ${sv}`);
    client.send([71, 2, clientId, '']);
    await client.waitFor((frames) => frames.some((f) => f[0] === '9'));
    return client;
  }

  send(fields: readonly (string | number)[]): void {
    this.socket.write(frame(fields));
  }

  /** Every complete frame so far, the first being the handshake answer (server version, time). */
  frames(): string[][] {
    while (this.offset + 4 <= this.received.length) {
      const length = this.received.readUInt32BE(this.offset);
      const end = this.offset + 4 + length;
      if (end > this.received.length) break;
      const text = this.received.subarray(this.offset + 4, end).toString('utf8');
      if (!text.endsWith('\0')) throw new Error(`frame ${this.parsed.length} does not end with NUL`);
      this.parsed.push(text.slice(0, -1).split('\0'));
      this.offset = end;
    }
    return this.parsed;
  }

  waitFor(done: (frames: string[][]) => boolean, timeoutMs = WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const ids = this.frames().slice(1).map((f) => (f[0] === '4' ? `4(${f[3]})` : f[0]));
        reject(new Error(`reference client: condition not met in ${timeoutMs} ms; received ids ${ids.join(',')}`));
      }, timeoutMs);
      const check = () => {
        if (done(this.frames())) {
          clearTimeout(timer);
          resolve();
        } else if (this.closed) {
          clearTimeout(timer);
          reject(new Error('reference client: connection closed while waiting'));
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
