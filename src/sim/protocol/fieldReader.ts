/** Thrown when a request has fewer (or malformed) fields than its message type requires. */
export class TruncatedMessageError extends Error {
  constructor(what: string) {
    super(`message ended before ${what}`);
    this.name = 'TruncatedMessageError';
  }
}

const NUL = 0;
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Sequential, typed access to the NUL-terminated fields of one request, read straight from the
 * frame bytes: skipped and integer fields cost no string allocation (placeOrder has ~130 fields
 * and the simulator needs a handful). A missing final NUL still yields the last field.
 */
export class FieldReader {
  private pos = 0;

  constructor(private readonly payload: Buffer) {}

  /** For tests and tools: a reader over already-split fields. */
  static fromFields(fields: readonly string[]): FieldReader {
    return new FieldReader(Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8'));
  }

  get remaining(): number {
    let count = 0;
    for (let p = this.pos; p < this.payload.length; count++) {
      const end = this.payload.indexOf(NUL, p);
      p = end < 0 ? this.payload.length : end + 1;
    }
    return count;
  }

  str(what = 'a string field'): string {
    const end = this.fieldEnd(what);
    const value = this.payload.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return value;
  }

  /** Integer; an empty field reads as 0 like TWS's readInt. Anything but an optional sign and digits is malformed. */
  int(what = 'an integer field'): number {
    const end = this.fieldEnd(what);
    let p = this.pos;
    let negative = false;
    if (p < end && (this.payload[p] === MINUS || this.payload[p] === PLUS)) {
      negative = this.payload[p] === MINUS;
      p++;
    }
    let value = 0;
    for (; p < end; p++) {
      const c = this.payload[p] as number;
      if (c < ZERO || c > NINE) {
        throw new TruncatedMessageError(`${what} (got "${this.payload.toString('utf8', this.pos, Math.min(end, this.pos + 20))}")`);
      }
      value = value * 10 + (c - ZERO);
    }
    this.pos = end + 1;
    return negative ? -value : value;
  }

  /** Number or undefined when the field is empty or holds the "unset" sentinels. */
  optNum(what = 'a numeric field'): number | undefined {
    const raw = this.str(what);
    if (raw === '') return undefined;
    const value = Number.parseFloat(raw);
    if (Number.isNaN(value)) throw new TruncatedMessageError(`${what} (got "${raw.slice(0, 20)}")`);
    if (value === Number.MAX_VALUE || value === 2147483647) return undefined;
    return value;
  }

  bool(what = 'a boolean field'): boolean {
    const end = this.fieldEnd(what);
    const length = end - this.pos;
    const first = this.payload[this.pos];
    const value = (length === 1 && first === ZERO + 1) || (length === 4 && this.payload.toString('latin1', this.pos, end).toLowerCase() === 'true');
    this.pos = end + 1;
    return value;
  }

  skip(count: number, what = 'skipped fields'): void {
    for (let i = 0; i < count; i++) this.pos = this.fieldEnd(what) + 1;
  }

  private fieldEnd(what: string): number {
    if (this.pos >= this.payload.length) throw new TruncatedMessageError(what);
    const end = this.payload.indexOf(NUL, this.pos);
    return end < 0 ? this.payload.length : end;
  }
}
