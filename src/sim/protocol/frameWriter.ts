const NUL = 0;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

/**
 * Builds length-prefixed, NUL-separated TWS frames into one growable buffer.
 *
 * Numbers are written digit by digit so the tick hot path allocates nothing per message; `take()`
 * copies the whole batch out once, so one socket write carries many frames.
 */
export class FrameWriter {
  private buf: Buffer;
  private len = 0;
  private frameStart = -1;

  constructor(initialBytes = 16 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get size(): number {
    return this.len;
  }

  begin(messageId: number): this {
    this.ensure(4);
    this.frameStart = this.len;
    this.len += 4;
    return this.int(messageId);
  }

  end(): void {
    if (this.frameStart < 0) throw new Error('FrameWriter.end() without begin()');
    this.buf.writeUInt32BE(this.len - this.frameStart - 4, this.frameStart);
    this.frameStart = -1;
  }

  /** An integer field (truncated toward zero). */
  int(value: number): this {
    this.ensure(24);
    this.writeInteger(Math.trunc(value));
    this.buf[this.len++] = NUL;
    return this;
  }

  /** A numeric field; `undefined` is sent as an empty field (TWS's "unset"). */
  num(value: number | undefined): this {
    if (value === undefined || !Number.isFinite(value)) return this.empty();
    if (Number.isInteger(value) && Math.abs(value) < 1e15) return this.int(value);
    return this.str(String(value));
  }

  /** A decimal given as an integer count of 10^-decimals, written without allocation (e.g. 590025, 2 -> "5900.25"). */
  fixed(scaled: number, decimals: number): this {
    this.ensure(32);
    let v = Math.round(scaled);
    if (v < 0) {
      this.buf[this.len++] = MINUS;
      v = -v;
    }
    const unit = POW10[decimals] ?? 10 ** decimals;
    const whole = Math.floor(v / unit);
    let frac = v - whole * unit;
    this.writeInteger(whole);
    if (frac > 0) {
      let digits = decimals;
      while (frac % 10 === 0) {
        frac /= 10;
        digits--;
      }
      this.buf[this.len++] = DOT;
      for (let i = digits - 1; i >= 0; i--) {
        this.buf[this.len + i] = ZERO + (frac % 10);
        frac = Math.floor(frac / 10);
      }
      this.len += digits;
    }
    this.buf[this.len++] = NUL;
    return this;
  }

  str(value: string | undefined): this {
    if (value === undefined || value.length === 0) return this.empty();
    this.ensure(value.length * 3 + 1);
    this.len += this.buf.write(value, this.len, 'utf8');
    this.buf[this.len++] = NUL;
    return this;
  }

  bool(value: boolean | undefined): this {
    this.ensure(2);
    this.buf[this.len++] = value ? ZERO + 1 : ZERO;
    this.buf[this.len++] = NUL;
    return this;
  }

  empty(): this {
    this.ensure(1);
    this.buf[this.len++] = NUL;
    return this;
  }

  /** Raw bytes appended as-is (used to inject deliberately malformed frames). */
  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** Copies out everything written so far and resets; null when empty. */
  take(): Buffer | null {
    if (this.frameStart >= 0) throw new Error('FrameWriter.take() inside an unfinished frame');
    if (this.len === 0) return null;
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    return out;
  }

  /** Drops everything written (e.g. while a half-open fault swallows output). */
  discard(): void {
    this.len = 0;
    this.frameStart = -1;
  }

  private writeInteger(value: number): void {
    let v = value;
    if (v < 0) {
      this.buf[this.len++] = MINUS;
      v = -v;
    }
    if (v < 10) {
      this.buf[this.len++] = ZERO + v;
      return;
    }
    let digits = 0;
    for (let t = v; t >= 1; t = Math.floor(t / 10)) digits++;
    for (let i = digits - 1; i >= 0; i--) {
      this.buf[this.len + i] = ZERO + (v % 10);
      v = Math.floor(v / 10);
    }
    this.len += digits;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < this.len + extra) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }
}

const NON_ASCII = /[^\x00-\x7f]/g;

/**
 * From ENCODE_MSG_ASCII7 (153) TWS sends error texts and contract long names as 7-bit ASCII with
 * `\uXXXX` escapes, which IB's decoder (EDecoder.decodeUnicodeEscapedString) turns back into text.
 */
export function escapeNonAscii(text: string): string {
  return text.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
