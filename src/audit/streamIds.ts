/** Redis Stream ids are `<ms>-<n>`; both parts can exceed 2^53, so they compare as bigints. */
export const STREAM_ID_PATTERN = /^\d+-\d+$/;

export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = parts(a);
  const [bMs, bSeq] = parts(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

export function streamIdMs(id: string): number {
  return Number(parts(id)[0]);
}

function parts(id: string): [bigint, bigint] {
  const [ms = '0', seq = '0'] = id.split('-');
  return [BigInt(ms), BigInt(seq)];
}
