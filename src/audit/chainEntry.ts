/** A stream entry as ioredis' xrangeBuffer returns it: `[id, [field, value, field, value, ...]]`. */
export type RawBufferEntry = [id: Buffer, fields: Buffer[]];

/** A stream entry as the verifier sees it: bytes exactly as stored, nothing re-encoded. */
export type ChainEntry =
  | { state: 'chained'; id: string; seq: number; tsMs: number; prevHash: string; hash: string; body: Buffer }
  /** Written before the hash chain existed: it has a seq and a timestamp, and nothing to check them against. */
  | { state: 'legacy'; id: string; seq: number; tsMs: number }
  | { state: 'malformed'; id: string; problem: string };

const SEQ = /^[1-9]\d*$/;
const MILLIS = /^(0|[1-9]\d*)$/;

/**
 * Decodes strictly: a seq or tsMs with a leading zero or a sign would still parse as a number and
 * so hash like the original, so anything but the canonical decimal form is malformed.
 */
export function decodeChainEntry(raw: RawBufferEntry): ChainEntry {
  const id = raw[0].toString('latin1');
  const fields = new Map<string, Buffer>();
  for (let i = 0; i + 1 < raw[1].length; i += 2) fields.set((raw[1][i] as Buffer).toString('latin1'), raw[1][i + 1] as Buffer);
  const seqText = fields.get('seq')?.toString('latin1');
  const tsText = fields.get('tsMs')?.toString('latin1');
  const body = fields.get('body');
  if (seqText === undefined || !SEQ.test(seqText) || !Number.isSafeInteger(Number(seqText))) return { state: 'malformed', id, problem: 'bad or missing seq' };
  if (tsText === undefined || !MILLIS.test(tsText) || !Number.isSafeInteger(Number(tsText))) return { state: 'malformed', id, problem: 'bad or missing tsMs' };
  if (body === undefined) return { state: 'malformed', id, problem: 'no body' };
  const seq = Number(seqText);
  const tsMs = Number(tsText);
  const prevHash = fields.get('prevHash');
  const hash = fields.get('hash');
  if (prevHash === undefined && hash === undefined) return { state: 'legacy', id, seq, tsMs };
  if (prevHash === undefined || hash === undefined) return { state: 'malformed', id, problem: `has ${hash ? 'hash' : 'prevHash'} but no ${hash ? 'prevHash' : 'hash'}` };
  return { state: 'chained', id, seq, tsMs, prevHash: prevHash.toString('utf8'), hash: hash.toString('utf8'), body };
}
