/** IB's own limit: the Java client refuses messages larger than 16 MiB - 1 byte. */
export const MAX_FRAME_BYTES = 0xffffff;

export type FrameDecodeResult = { ok: true } | { ok: false; reason: string };

/**
 * Reassembles 4-byte big-endian length-prefixed frames from a TCP byte stream.
 *
 * Chunks are kept in a list and joined once per frame so a large frame arriving in many small
 * chunks costs linear, not quadratic, copying. An oversize length is refused as soon as its header
 * is seen, without waiting for (or buffering) the body.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed = false;

  /** May be changed between frames (the handshake allows far less than requests do). */
  constructor(public maxFrameBytes = MAX_FRAME_BYTES) {}

  get pendingBytes(): number {
    return this.buffered;
  }

  feed(chunk: Buffer, onFrame: (payload: Buffer) => void): FrameDecodeResult {
    if (this.failed) return { ok: false, reason: 'decoder already failed' };
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length > this.maxFrameBytes) {
        this.failed = true;
        this.chunks = [];
        this.buffered = 0;
        return { ok: false, reason: `frame length ${length} exceeds ${this.maxFrameBytes}` };
      }
      if (this.buffered < 4 + length) break;
      const frame = this.consume(4 + length);
      onFrame(frame.subarray(4));
    }
    return { ok: true };
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readUInt32BE(0);
    return this.join().readUInt32BE(0);
  }

  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] as Buffer;
  }

  private consume(bytes: number): Buffer {
    let first = this.chunks[0] as Buffer;
    if (first.length < bytes) first = this.join();
    const frame = first.subarray(0, bytes);
    const rest = first.subarray(bytes);
    if (rest.length > 0) this.chunks[0] = rest;
    else this.chunks.shift();
    this.buffered -= bytes;
    return frame;
  }
}
