/**
 * IB names the farm after a colon ("Market data farm connection is broken:usfarm"); without
 * one, the code itself identifies what broke.
 */
export function farmName(code: number, message: string): string {
  const colon = message.lastIndexOf(':');
  const name = colon === -1 ? '' : message.slice(colon + 1).trim();
  return name.length > 0 ? name : `code-${code}`;
}
