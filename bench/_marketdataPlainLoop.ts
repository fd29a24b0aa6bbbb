/**
 * The ceiling for `ticks_per_s`: the engine's per-tick arithmetic (finite/positive/crossed/
 * timestamp checks, carry-forward merge, spike test with its EWMA) and per-batch consolidation
 * (stale/late checks, latency weights, median + MAD outlier test, weighted average, confidence)
 * written as one bare loop over flat arrays, without the engine's structure, accounting and
 * outputs. The gap between the two is what the structure costs.
 */
import type { TickBatch } from '../src/marketdata/tickBatch.ts';

const DAY = 86_400_000;

export function runPlainLoop(batches: readonly TickBatch[], sourceOf: (batch: TickBatch) => number, instruments: number, sources: number): { accepted: number; rejected: number; checksum: number } {
  const slots = instruments * sources;
  const bid = new Float64Array(slots).fill(Number.NaN);
  const ask = new Float64Array(slots).fill(Number.NaN);
  const ref = new Float64Array(slots);
  const ts = new Float64Array(slots);
  const recv = new Float64Array(slots);
  const changeTs = new Float64Array(slots);
  const ewma = new Float64Array(slots);
  const changes = new Int32Array(slots);
  const has = new Uint8Array(slots);
  const weight = new Float64Array(slots).fill(1);
  const dirty = new Int32Array(instruments);
  const mark = new Uint8Array(instruments);
  const p = new Float64Array(sources);
  const w = new Float64Array(sources);
  const sorted = new Float64Array(sources);
  const out = new Float64Array(instruments);
  const alpha = 2 / 101;
  let accepted = 0;
  let rejected = 0;
  let checksum = 0;
  for (const batch of batches) {
    const s = sourceOf(batch);
    const now = batch.receivedMs[batch.count - 1]!;
    let dirtyCount = 0;
    for (let j = 0; j < batch.count; j++) {
      const inst = batch.instrument[j]!;
      const b = batch.bid[j]!;
      const a = batch.ask[j]!;
      const t = batch.sourceTsMs[j]!;
      const r = batch.receivedMs[j]!;
      const k = inst * sources + s;
      if (inst < 0 || inst >= instruments || t - t !== 0 || r - r !== 0 || b === Infinity || a === Infinity || b === -Infinity || a === -Infinity || b <= 0 || a <= 0 || b > a || t > now + 1000 || t < ts[k]!) {
        rejected++;
        continue;
      }
      const mb = b === b ? b : bid[k]!;
      const ma = a === a ? a : ask[k]!;
      if (mb > ma) {
        rejected++;
        continue;
      }
      const m = (mb + ma) / 2;
      if (has[k] === 1) {
        const change = m - ref[k]!;
        if (change !== 0) {
          const el = t - changeTs[k]! > 1 ? t - changeTs[k]! : 1;
          const daily = Math.abs(change) / Math.sqrt(el / DAY);
          const c = changes[k]!;
          if (c >= 20 && daily > 8 * ewma[k]!) {
            rejected++;
            continue;
          }
          changes[k] = c + 1;
          const wt = 1 / (c + 1) > alpha ? 1 / (c + 1) : alpha;
          ewma[k] = ewma[k]! + wt * (daily - ewma[k]!);
          changeTs[k] = t;
        }
      } else {
        changeTs[k] = t;
      }
      has[k] = 1;
      bid[k] = mb;
      ask[k] = ma;
      ref[k] = m;
      ts[k] = t;
      recv[k] = r;
      accepted++;
      if (mark[inst] === 0) {
        mark[inst] = 1;
        dirty[dirtyCount++] = inst;
      }
    }
    for (let d = 0; d < dirtyCount; d++) {
      const inst = dirty[d]!;
      mark[inst] = 0;
      let n = 0;
      for (let src = 0; src < sources; src++) {
        const k = inst * sources + src;
        if (has[k] === 0 || now - ts[k]! > 5_000) continue;
        const lat = recv[k]! - ts[k]!;
        if (lat > 1_000) continue;
        p[n] = ref[k]!;
        w[n] = (weight[k]! * 100) / (100 + (lat > 0 ? lat : 0));
        n++;
      }
      if (n === 0) continue;
      if (n >= 3) {
        for (let i = 0; i < n; i++) sorted[i] = p[i]!;
        insertionSort(sorted, n);
        const median = n & 1 ? sorted[n >> 1]! : (sorted[(n >> 1) - 1]! + sorted[n >> 1]!) / 2;
        for (let i = 0; i < n; i++) sorted[i] = Math.abs(p[i]! - median);
        insertionSort(sorted, n);
        const mad = Math.max(n & 1 ? sorted[n >> 1]! : (sorted[(n >> 1) - 1]! + sorted[n >> 1]!) / 2, Math.abs(median) * 1e-4);
        let kept = 0;
        for (let i = 0; i < n; i++) {
          if (Math.abs(p[i]! - median) > 5 * mad) continue;
          p[kept] = p[i]!;
          w[kept] = w[i]!;
          kept++;
        }
        n = kept;
      }
      let sum = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        sum += w[i]! * p[i]!;
        total += w[i]!;
      }
      const price = sum / total;
      let dev = 0;
      for (let i = 0; i < n; i++) dev += w[i]! * (p[i]! - price) ** 2;
      out[inst] = price;
      checksum += price + Math.sqrt(dev / total);
    }
  }
  return { accepted, rejected, checksum };
}

function insertionSort(values: Float64Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}
