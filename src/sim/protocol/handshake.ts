export const API_PREFIX = Buffer.from('API\0', 'latin1');

export interface VersionRange {
  min: number;
  max: number;
}

export type HandshakeOutcome =
  | { ok: true; serverVersion: number; clientRange: VersionRange }
  | { ok: false; reason: string };

const VERSION_STRING = /^v(\d{1,6})(?:\.\.(\d{1,6}))?(?:\s.*)?$/s;

/** Parses the client's "v<min>..<max>" (optionally followed by connect options after a space). */
export function parseClientVersions(text: string): VersionRange | undefined {
  const match = VERSION_STRING.exec(text);
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (min > max) return undefined;
  return { min, max };
}

/** TWS picks the highest version both sides support; no overlap means the socket is closed. */
export function negotiateVersion(payload: string, server: VersionRange): HandshakeOutcome {
  const clientRange = parseClientVersions(payload);
  if (!clientRange) return { ok: false, reason: `garbled version string ${JSON.stringify(payload.slice(0, 40))}` };
  const low = Math.max(clientRange.min, server.min);
  const high = Math.min(clientRange.max, server.max);
  if (low > high) {
    return {
      ok: false,
      reason: `client versions ${clientRange.min}..${clientRange.max} outside server range ${server.min}..${server.max}`,
    };
  }
  return { ok: true, serverVersion: high, clientRange };
}

let cachedSecond = Number.NaN;
let cachedText = '';

/** TWS's date-time format, e.g. "20261124 03:30:00 UTC" (cached per second: every fill formats one). */
export function formatTwsDateTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    cachedText = formatUncached(second * 1000);
    cachedSecond = second;
  }
  return cachedText;
}

function formatUncached(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} UTC`;
}
