import type { BackoffOptions } from './childSpec.ts';

/**
 * Delay before the `attempt`-th consecutive restart (0-based): doubles from `minMs`
 * up to `maxMs`, with +/- `jitter` spread so restarted siblings don't stampede a shared peer.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  if (options.minMs <= 0) return 0;
  const base = Math.min(options.maxMs, options.minMs * 2 ** Math.min(attempt, 30));
  const spread = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}
