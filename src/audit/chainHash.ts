import { createHash } from 'node:crypto';

/** The `prevHash` of the first record of a chain: there is no record before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Names the byte layout below; a future layout gets a new tag, so old and new hashes never collide. */
export const CHAIN_LAYOUT_TAG = 'tradewire.audit.v1';

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

export interface ChainLink {
  prevHash: string;
  seq: number;
  tsMs: number;
  /** The stored body, byte for byte (canonical JSON, UTF-8). */
  body: string | Buffer;
}

/**
 * SHA-256, lowercase hex, over the UTF-8 bytes of
 *
 *     tradewire.audit.v1 LF prevHash LF seq LF tsMs LF body
 *
 * prevHash is 64 lowercase hex digits, seq and tsMs are decimal without leading zeros, LF is 0x0A,
 * and body is the stored canonical JSON exactly as stored. Only the body can contain LF and it
 * comes last, so no two different (prevHash, seq, tsMs, body) share a preimage.
 */
export function chainHash(link: ChainLink): string {
  return createHash('sha256')
    .update(`${CHAIN_LAYOUT_TAG}\n${link.prevHash}\n${link.seq}\n${link.tsMs}\n`)
    .update(link.body)
    .digest('hex');
}
