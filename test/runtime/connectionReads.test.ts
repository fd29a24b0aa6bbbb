import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { IbConnectionContext } from '../../src/machines/ib/ibConnectionTypes.ts';
import type { IbSession } from '../../src/ib/session/ibSession.ts';
import { ConnectionReads } from '../../src/runtime/connectionReads.ts';
import type { NodeTree } from '../../src/runtime/nodeTree.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

interface Snapshot {
  status: string;
  value: unknown;
  context: Partial<IbConnectionContext>;
  children: Record<string, { getSnapshot(): { value: string } } | undefined>;
}

/** One `ib` actor whose snapshots the test sets, under a stand-in tree that tells of its start. */
function world() {
  const config: Config = loadConfig({ env: SIM_CLOCK_ENV });
  let snapshot: Snapshot = {
    status: 'active',
    value: 'connecting',
    context: { gateways: [{ host: '127.0.0.1', port: 4002 }], gatewayIndex: 0, clientIds: [7, 8], clientIdIndex: 0, accounts: [], brokenFarms: [], lastError: null },
    children: { breaker: { getSnapshot: () => ({ value: 'closed' }) } },
  };
  const subscribers = new Set<(next: Snapshot) => void>();
  const ref = { getSnapshot: () => snapshot, subscribe: (observer: { next: (next: Snapshot) => void }) => subscribers.add(observer.next) };
  let started: ((supervisorId: string, childId: string) => void) | undefined;
  const node = { onChildStarted: (listener: typeof started) => (started = listener), tree: { get: (id: string) => (id === 'ib' ? ref : undefined) } } as unknown as NodeTree;
  const session = { currentRate: 45, queued: 3 } as unknown as IbSession;
  const reads = new ConnectionReads({ node, broker: { sessions: new Map([['ib', session]]) }, config });
  started!('broker', 'ib');
  return {
    reads,
    config,
    set(change: Partial<Snapshot> & { context?: Partial<IbConnectionContext> }) {
      snapshot = { ...snapshot, ...change, context: { ...snapshot.context, ...change.context } };
      for (const next of subscribers) next(snapshot);
    },
  };
}

describe('ConnectionReads', () => {
  it('describes the connection from its snapshot: gateway, client id, accounts, health, state, breaker and pacing', () => {
    const { reads, set, config } = world();
    set({ value: { connected: { health: 'healthy', heartbeat: 'idle' } }, context: { accounts: ['DU1234567'] } });
    expect(reads.read()).toEqual([
      {
        id: 'ib',
        gateway: { host: '127.0.0.1', port: 4002 },
        clientId: 7,
        accounts: ['DU1234567'],
        accountType: 'PAPER',
        health: 'healthy',
        state: 'connected',
        dataFarms: [],
        lastError: null,
        breaker: { state: 'closed' },
        pacing: { ratePerSecond: 45, burst: config.broker.connection.pacing.burst, queued: 3 },
      },
    ]);
    set({ context: { accounts: ['U7654321', 'DU1234567'] } });
    expect(reads.read()[0]!.accountType).toBe('LIVE');
    set({ status: 'stopped' });
    expect(reads.read()[0]).toMatchObject({ health: 'stopped', state: 'stopped' });
  });

  it('keeps the data farms reported broken since it connected, and whether each is back; forgets them when the connection drops', () => {
    const { reads, set } = world();
    set({ value: { connected: { health: 'healthy' } } });
    set({ value: { connected: { health: 'degraded' } }, context: { brokenFarms: ['usfarm', 'ushmds'] } });
    expect(reads.read()[0]!.dataFarms).toEqual([
      { name: 'usfarm', ok: false },
      { name: 'ushmds', ok: false },
    ]);
    set({ context: { brokenFarms: ['ushmds'] } });
    expect(reads.read()[0]!.dataFarms).toEqual([
      { name: 'usfarm', ok: true },
      { name: 'ushmds', ok: false },
    ]);
    set({ value: 'backoff', context: { brokenFarms: [] } });
    expect(reads.read()[0]!.dataFarms).toEqual([]);
  });

  it('gives the last error its code, cause, hint and when it came', () => {
    const { reads, set } = world();
    const before = Date.now();
    set({ value: 'backoff', context: { lastError: '502: connect ECONNREFUSED 127.0.0.1:4002' } });
    const { lastError } = reads.read()[0]!;
    expect(lastError).toEqual({
      code: 502,
      message: 'connect ECONNREFUSED 127.0.0.1:4002',
      cause: 'connection_refused',
      hint: 'connection refused on 127.0.0.1:4002: is IB Gateway running with the API enabled on that port?',
      at: expect.any(String),
    });
    const at = Date.parse(lastError!.at);
    expect(at).toBeGreaterThanOrEqual(before);
    set({ context: { attempts: 2 } });
    expect(reads.read()[0]!.lastError!.at).toBe(lastError!.at);
  });
});
