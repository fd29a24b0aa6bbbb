import type { ReceiptPosition } from './orderStore.ts';

/**
 * The opaque `cursor` of `GET /orders`: the receipt position of the last order a page examined,
 * base64url-encoded, so a client passes it back as given and never builds one. A position, not an
 * offset: orders received meanwhile do not shift later pages.
 */
export function encodeOrderCursor(position: ReceiptPosition): string {
  return Buffer.from(`${position.receivedAt}:${position.clientOrderId}`, 'utf8').toString('base64url');
}

/** The position a cursor names, or null when it is not one `encodeOrderCursor` made. */
export function decodeOrderCursor(cursor: string): ReceiptPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):([A-Za-z0-9._:-]{1,64})$/.exec(text);
  if (!match) return null;
  const receivedAt = Number(match[1]);
  return Number.isSafeInteger(receivedAt) ? { receivedAt, clientOrderId: match[2]! } : null;
}
