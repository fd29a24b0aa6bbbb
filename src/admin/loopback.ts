import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether a bind address only ever takes connections from this machine: `localhost`, IPv4
 * 127.0.0.0/8 (also IPv4-mapped, `::ffff:127.x.y.z`) and `::1` in any spelling. Anything else, the
 * wildcards `0.0.0.0` and `::` and every other host name included, counts as reachable from
 * outside, so the admin API asks for a token on every read but its probes. A name that happens to
 * resolve to loopback still counts as outside: DNS can change under a running process.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost') return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  if (!isIPv6(bare)) return false;
  // The URL parser writes an IPv6 address in its one canonical form (IPv4-mapped ones in hex).
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  if (canonical === '::1') return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(canonical);
  return mapped !== null && parseInt(mapped[1]!, 16) >> 8 === 127;
}
