import { Writable } from 'node:stream';

/**
 * A client's socket as the server sees it: what was written reaches `text` at once, or, while
 * `blocked`, waits (a backed-up socket: `write` answers false past a small high-water mark and
 * `drain` comes once unblocked). Closing drops what waits, as a dropped connection would.
 */
export class TestSink extends Writable {
  text = '';
  private heldWrites: (() => void)[] = [];
  private isBlocked = false;

  constructor(highWaterMark = 64) {
    super({ highWaterMark, decodeStrings: false });
  }

  get blocked(): boolean {
    return this.isBlocked;
  }

  get holding(): boolean {
    return this.heldWrites.length > 0;
  }

  /** Writes that had to wait for the socket, so far. */
  held = 0;

  block(): void {
    this.isBlocked = true;
  }

  unblock(): void {
    this.isBlocked = false;
    for (const release of this.heldWrites.splice(0)) release();
  }

  drop(): void {
    this.heldWrites = [];
    this.destroy();
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const deliver = () => {
      this.text += String(chunk);
      done();
    };
    if (this.isBlocked) {
      this.held += 1;
      this.heldWrites.push(deliver);
    }
    else deliver();
  }
}
