// What the order benchmarks share: the market order they stream, and a poll for a step's end.

/** A one-lot ES market order, alternating sides so positions stay within the limits. */
export const benchOrderJob = (id: string, i: number) => ({
  clientOrderId: id,
  account: 'DU1234567',
  instrument: { symbol: 'ES', expiry: '202703' },
  side: i % 2 === 0 ? 'BUY' : 'SELL',
  quantity: 1,
  orderType: 'MKT',
  strategy: 'bench',
});

/** Resolves once `check` holds; polls every `everyMs` (a benchmark measures its own clock, not this one). */
export function until(check: () => boolean | Promise<boolean>, what = 'benchmark step', timeoutMs = 120_000, everyMs = 5): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      if (await check()) return resolve();
      if (performance.now() > deadline) return reject(new Error(`benchmark step timed out: ${what}`));
      setTimeout(poll, everyMs);
    };
    void poll();
  });
}
