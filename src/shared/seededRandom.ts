// mulberry32, hand-made rather than a library: its whole state is one number (it can live in a
// machine's context) and a draw allocates nothing, on the price-path and tick hot paths.

/** The state after `state`. */
const advance = (state: number): number => (state + 0x6d2b79f5) | 0;

/** The uniform draw in [0, 1) a state gives. */
function drawOf(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** One draw from a PRNG state kept elsewhere (a machine's context): the value and the state after it. */
export function nextRandom(state: number): { value: number; state: number } {
  const next = advance(state);
  return { value: drawOf(next), state: next };
}

/** A seeded PRNG stream, so price paths, feeds and chaos runs are reproducible from a seed. */
export class SeededRandom {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = advance(this.state);
    return drawOf(this.state);
  }

  /** Standard normal via Box-Muller, caching the second value of each pair. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
  }
}

/** Derives an independent stream seed for a named purpose (e.g. one symbol's history). */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
