import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { CONNECTION_HINTS, explainConnectionError } from '../../src/ib/connectionHints.ts';
import { createIbConnection } from '../../src/actors/ib/ibConnection.ts';
import { createMemoryLogger } from '../admin/memoryLogger.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { waitFor } from '../support/waitUntil.ts';
import { FAST_TIMING } from './ibConnectionHarness.ts';

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
  ['read_only_api', "321: Error validating request.-'bB' : cause - The API interface is currently in Read-Only mode.", 321, /Read-Only mode, so every order is refused \(321\): untick "Read-Only API"/],
  ['no_market_data_permission', '354: Requested market data is not subscribed.', 354, /no market-data subscription .* paper account only has the live account's subscriptions/],
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

  it('knows the other "not subscribed" codes as a missing market-data permission, and a 321 that is not about Read-Only mode as nothing', () => {
    for (const code of [10089, 10090, 10167, 10168, 10186]) {
      expect(explainConnectionError(`${code}: Requested market data is not subscribed.`, { gateway, clientId: 8 }).cause).toBe('no_market_data_permission');
    }
    expect(explainConnectionError('321: Error validating request.-\'bN\' : cause - Invalid account', { gateway, clientId: 8 }).cause).toBe('other');
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

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the IB connection log line', () => {
  it('carries the hint: a refused connection says to check the gateway and its API port', async () => {
    const port = await closedPort();
    const { logger, entries } = createMemoryLogger();
    const redis = new Redis(REDIS_URL);
    const orderIdKey = `test:connectionHints:${process.pid}`;
    const input = { gateways: [{ host: '127.0.0.1', port }], clientIds: [5], timing: FAST_TIMING, backoff: { minMs: 20, maxMs: 200, jitter: 0 }, seed: 7 };
    const { machine } = createIbConnection({ systemId: 'ib', input, redis, logger, orderIdKey });
    const actor = createActor(machine, { input }).start();
    try {
            const line = await waitFor(() => entries.find((entry) => entry.message.startsWith('ib message') && entry.code === 502), 'an "ib message" line for the refused connection', 10_000);
      // Winston appends the `message` field to the line's message: "ib message connect ECONNREFUSED …".
      expect(line).toMatchObject({ level: 'error', category: 'client_error', hint: `connection refused on 127.0.0.1:${port}: is IB Gateway running with the API enabled on that port?` });
    } finally {
      actor.stop();
      await redis.del(orderIdKey);
      redis.disconnect();
    }
  });
});
