import { describe, expect, it } from 'vitest';
import { CONNECTION_HINTS, explainConnectionError } from '../../src/ib/connectionHints.ts';

const gateway = { host: '10.0.0.5', port: 4002 };

/** Each entry of the table, with a last error as the IB connection machine words it, and what its hint must say. */
const EXAMPLES: [cause: string, lastError: string, code: number | null, hint: RegExp][] = [
  ['connection_refused', '502: connect ECONNREFUSED 10.0.0.5:4002', 502, /^connection refused on 10\.0\.0\.5:4002: is IB Gateway running with the API enabled on that port\?$/],
  ['unknown_host', '502: getaddrinfo ENOTFOUND gateway.internal', 502, /10\.0\.0\.5 does not resolve: check broker\.ib\.host/],
  ['host_unreachable', '502: connect EHOSTUNREACH 10.0.0.5:4002', 502, /no route to 10\.0\.0\.5:4002/],
  ['timeout', 'timed out', null, /no answer from 10\.0\.0\.5:4002 in time: is the host reachable/],
  ['client_id_in_use', 'client id 7 in use', null, /^client id 7 is already connected to 10\.0\.0\.5:4002.*extraClientIds/],
  ['connection_closed', 'disconnected: socket closed', null, /10\.0\.0\.5:4002 closed the connection: .*Trusted IPs/],
  ['protocol_error', 'protocol error: frame length -5 out of range', null, /not the IB API .* is that port IB Gateway's API port/],
  ['cannot_connect', "502: Couldn't connect to TWS", 502, /could not connect to 10\.0\.0\.5:4002 \(502\): .*Enable ActiveX and Socket Clients/],
  ['not_connected', '504: Not connected', 504, /not connected \(504\)/],
  ['connectivity_lost', '1100: Connectivity between IB and Trader Workstation has been lost.', 1100, /lost its own connection to IB's servers/],
  ['half_open', 'heartbeat unanswered: socket half-open', null, /stopped answering heartbeats \(half-open\)/],
  ['breaker_open', 'circuit breaker open', null, /the breaker pauses them/],
];

describe('connection error hints', () => {
  it('has an example here for every entry of the table', () => {
    expect(new Set(EXAMPLES.map(([cause]) => cause))).toEqual(new Set(CONNECTION_HINTS.map((entry) => entry.cause)));
  });

  it.each(EXAMPLES)('%s: "%s"', (cause, lastError, code, hint) => {
    const explained = explainConnectionError(lastError, { gateway, clientId: 8 });
    expect(explained.cause).toBe(cause);
    expect(explained.code).toBe(code);
    expect(explained.message).toBe(code === null ? lastError : lastError.slice(`${code}: `.length));
    expect(explained.hint).toMatch(hint);
  });

  it('knows 2110 as lost connectivity too, and 326 as a client id in use (the current id when the message names none)', () => {
    expect(explainConnectionError('2110: Connectivity between TWS and server is broken', { gateway, clientId: 8 }).cause).toBe('connectivity_lost');
    expect(explainConnectionError('326: Unable to connect as the client id is already in use', { gateway, clientId: 8 }).hint).toMatch(/^client id 8 is already connected/);
  });

  it('names no cause it does not know, and gives no hint for it', () => {
    expect(explainConnectionError('10197: No market data during competing live session', { gateway, clientId: 8 })).toEqual({
      code: 10197,
      message: 'No market data during competing live session',
      cause: 'other',
      hint: null,
    });
  });

  it('says "the gateway" when it is not known', () => {
    expect(explainConnectionError('timed out', { gateway: null, clientId: null }).hint).toMatch(/^no answer from the gateway in time/);
  });
});
