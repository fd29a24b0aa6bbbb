import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failoverPassed, runFailover } from '../../chaos/failover.ts';
import { splitBrainActs, supersededBy, type Acquisition } from '../../chaos/_failoverFencing.ts';
import { routeOf } from '../../chaos/_failoverIntake.ts';
import { LoopLag } from '../../chaos/_failoverLag.ts';
import { FAILOVER_FAULTS, failoverSchedule, percentile } from '../../chaos/_failoverSchedule.ts';
import { attributeConnections } from '../../chaos/_failoverSends.ts';
import { judgeSplitBrain } from '../../chaos/_failoverSplitBrain.ts';
import { strandedOrders } from '../../chaos/_failoverSettle.ts';
import { checkAgainstLedger } from '../../chaos/_ledgerCheck.ts';
import { RuntimeRecords } from '../../chaos/_runtimeRecords.ts';
import { SeededRandom } from '../../src/shared/seededRandom.ts';
import type { ConnectionRecord, OrderMessageRecord, SimOrder } from '../../src/sim/index.ts';

/** Fixed, so a failure here replays the same orders and the same faults in the same order. */
const SEED = 20261206;

describe('failover run (three nodes as child processes, simulator in process, private Redis with MONITOR)', () => {
  it('through kill -9, SIGSTOP past the lease and SIGTERM of the active node, loses, doubles and invents nothing, and no node acts after a newer token', async () => {
    const lines: string[] = [];
    const outcome = await runFailover({
      seed: SEED,
      orders: 40,
      streamMs: 22_000,
      faults: { kill: 1, pause: 1, handover: 1 },
      gap: { minMs: 1_000, maxMs: 2_000 },
      settleTimeoutMs: 25_000,
      // Shorter than the defaults, so the three takeovers fit the test's time.
      lease: { ttlMs: 1_500, renewMs: 500 },
      log: (line) => lines.push(line),
    });
    const { result } = outcome;
    // Findings first: on failure they name the order, message or write.
    expect(outcome.findings, lines.join('\n')).toEqual([]);
    expect(result).toMatchObject({ orders: 40, lost: 0, duplicated: 0, phantom: 0, unexplained: 0, split_brain_sends: 0, takeovers: 3 });
    expect(result.faults).toEqual({ kill: 1, pause: 1, handover: 1 });
    for (const kind of FAILOVER_FAULTS) expect(result.takeover_ms[kind], kind).toHaveLength(1);
    // The zeros mean something only if there was something to judge.
    expect(result.broker_messages).toBeGreaterThan(20);
    expect(result.order_writes).toBeGreaterThan(40);
    expect(result.lease_tokens).toBeGreaterThanOrEqual(4);
    expect(failoverPassed(result), lines.join('\n')).toBe(true);
  }, 100_000);
});

const acquisition = (nodeId: string, at: number): Acquisition => ({ nodeId, token: at * 1_000, at });

describe('split brain: an act after another node got a newer token', () => {
  it('is one exactly when the newest token issued before the act is another node\'s (or none was)', () => {
    const nodes = ['a', 'b', 'c'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ nodeId: fc.constantFrom(...nodes), at: fc.integer({ min: 0, max: 1_000 }) }), { selector: (a) => a.at, maxLength: 8 }),
        fc.constantFrom(...nodes),
        fc.integer({ min: 0, max: 1_000 }),
        (raw, nodeId, at) => {
          const acquisitions = raw.map((a) => acquisition(a.nodeId, a.at)).sort((x, y) => x.at - y.at);
          const mine = acquisitions.filter((a) => a.nodeId === nodeId && a.at <= at).at(-1);
          const newerByOther = acquisitions.some((a) => a.nodeId !== nodeId && a.at <= at && (mine === undefined || a.at > mine.at));
          const expected = mine === undefined || newerByOther;
          expect(supersededBy(acquisitions, nodeId, at) !== null).toBe(expected);
        },
      ),
    );
  });

  it('names the acquisition that superseded the act', () => {
    const acquisitions = [acquisition('a', 100), acquisition('b', 200), acquisition('a', 300)];
    const found = splitBrainActs(acquisitions, [
      { nodeId: 'a', at: 150, what: 'ok' },
      { nodeId: 'a', at: 250, what: 'late' },
      { nodeId: 'b', at: 250, what: 'ok' },
      { nodeId: 'b', at: 350, what: 'late too' },
      { nodeId: 'c', at: 50, what: 'before any' },
    ]);
    expect(found.inFlight).toEqual([]);
    expect(found.found.map(({ act, by }) => [act.what, by === 'never held' ? by : by.nodeId])).toEqual([
      ['late', 'b'],
      ['late too', 'a'],
      ['before any', 'never held'],
    ]);
  });
});

describe('a broker message stamped late', () => {
  it('counts as split brain only if it was superseded even at its earliest possible moment; otherwise it was in flight', () => {
    const acquisitions = [acquisition('a', 100), acquisition('b', 200)];
    const { found, inFlight } = splitBrainActs(acquisitions, [
      { nodeId: 'a', at: 210, what: 'maybe before', slackMs: 20 },
      { nodeId: 'a', at: 210, what: 'after', slackMs: 5 },
      { nodeId: 'a', at: 210, what: 'exact' },
    ]);
    expect(inFlight.map(({ act }) => act.what)).toEqual(['maybe before']);
    expect(found.map(({ act }) => act.what)).toEqual(['after', 'exact']);
  });

  it('is as late as the event loop was stuck just before its stamp', async () => {
    const lag = new LoopLag(5);
    lag.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const quiet = lag.slackAt(Date.now());
      const blockedFrom = Date.now();
      while (Date.now() - blockedFrom < 200) {
        // The loop is stuck: nothing is stamped meanwhile.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(lag.slackAt(Date.now())).toBeGreaterThanOrEqual(190);
      expect(quiet).toBeLessThan(150);
    } finally {
      lag.stop();
    }
  });
});

const connection = (connectionId: number, clientId: number, startedAt: number, extra: Partial<ConnectionRecord> = {}): ConnectionRecord => ({
  connectionId,
  remoteAddress: '127.0.0.1',
  remotePort: 40_000 + connectionId,
  openedAt: startedAt - 5,
  status: 'accepted',
  clientId,
  startedAt,
  ...extra,
});

describe('which node each simulator session was', () => {
  it('pairs each accepted connection with the nearest `ib connected` line of its client id, each line once', () => {
    const { owner, conflicts } = attributeConnections(
      [connection(1, 7, 1_000), connection(2, 7, 1_100), connection(3, 8, 1_050), connection(4, 7, 1_020, { status: 'refused', errorCode: 326 })],
      [
        { nodeId: 'n1', clientId: 7, at: 1_004 },
        { nodeId: 'n2', clientId: 7, at: 1_103 },
        { nodeId: 'n3', clientId: 8, at: 1_060 },
      ],
      new Map(),
    );
    expect([...owner].sort()).toEqual([
      [1, 'n1'],
      [2, 'n2'],
      [3, 'n3'],
    ]);
    expect(conflicts).toEqual([]);
  });

  it('leaves a connection with no line near it unattributed, and lets the sockets\' word win over a disagreeing line', () => {
    const { owner, conflicts } = attributeConnections([connection(1, 7, 1_000), connection(2, 9, 60_000)], [{ nodeId: 'n1', clientId: 7, at: 1_004 }], new Map([[1, 'n2']]));
    expect(owner.get(1)).toBe('n2');
    expect(owner.has(2)).toBe(false);
    expect(conflicts).toHaveLength(1);
  });

  it('reports an unattributed broker message and a write from an unnamed connection as problems, and a late send as split brain', () => {
    const message = (seq: number, connectionId: number, at: number): OrderMessageRecord => ({ seq, at, connectionId, clientId: 7, type: 'placeOrder', intent: 'new', orderId: seq, orderRef: `r${seq}`, outcome: 'accepted' });
    const verdict = judgeSplitBrain({
      connections: [connection(1, 7, 1_000), connection(2, 8, 5_000)],
      messages: [message(1, 1, 2_000), message(2, 1, 6_000), message(3, 3, 6_000)],
      ibLines: [
        { nodeId: 'a', clientId: 7, at: 1_002 },
        { nodeId: 'b', clientId: 8, at: 5_002 },
      ],
      sockets: new Map(),
      acquisitions: [acquisition('a', 900), acquisition('b', 4_900)],
      writes: [
        { nodeId: 'b', connection: 'tw:ns:b', at: 5_500, command: 'HSET', key: 'ns:orders:order:r1' },
        { nodeId: 'a', connection: 'tw:ns:a', at: 5_600, command: 'HSET', key: 'ns:orders:order:r2' },
        { nodeId: null, connection: '127.0.0.1:5000', at: 5_700, command: 'HSET', key: 'ns:orders:order:r3' },
      ],
      logged: [
        { nodeId: 'a', token: 900_000 },
        { nodeId: 'c', token: 1 },
      ],
    });
    expect(verdict).toMatchObject({ sends: 1, writes: 1, sessions: 2 });
    expect(verdict.findings.join('\n')).toMatch(/a sent placeOrder\(new\) r2 .* after b got token/);
    expect(verdict.findings.join('\n')).toMatch(/a wrote HSET ns:orders:order:r2/);
    expect(verdict.problems).toHaveLength(3);
  });
});

describe('the run\'s plumbing', () => {
  it('sends cancels and modifies to their own admin routes, new orders to POST /orders', () => {
    expect(routeOf({ clientOrderId: 'x.1', side: 'BUY' })).toEqual({ path: '/orders', json: { clientOrderId: 'x.1', side: 'BUY' } });
    expect(routeOf({ type: 'cancel', clientOrderId: 'x/1' })).toEqual({ path: '/orders/x%2F1/cancel' });
    expect(routeOf({ type: 'modify', clientOrderId: 'x.1', limitPrice: 5 })).toEqual({ path: '/orders/x.1/modify', json: { limitPrice: 5 } });
  });

  it('schedules each fault kind as often as asked, in an order the seed fixes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.record({ kill: fc.nat(4), pause: fc.nat(4), handover: fc.nat(4) }), (seed, counts) => {
        const schedule = failoverSchedule(new SeededRandom(seed), counts, { minMs: 100, maxMs: 200 });
        for (const kind of FAILOVER_FAULTS) expect(schedule.filter((f) => f.kind === kind)).toHaveLength(counts[kind]);
        expect(schedule.every((f) => f.gapMs >= 100 && f.gapMs <= 200)).toBe(true);
        expect(failoverSchedule(new SeededRandom(seed), counts, { minMs: 100, maxMs: 200 })).toEqual(schedule);
      }),
    );
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([3_000, 1_000, 2_000], 50)).toBe(2_000);
    expect(percentile([3_000, 1_000, 2_000, 4_000], 50)).toBe(2_000);
    expect(percentile([3_000, 1_000], 100)).toBe(3_000);
  });
});

describe('orders left working under another IB client id after a takeover', () => {
  const brokerOrder = (orderRef: string, clientId: number, status: SimOrder['status'] = 'Submitted') => ({ clientId, orderId: 1, orderRef, status }) as SimOrder;

  it('are those working under a client id that none of the active node\'s open sessions is', () => {
    const connections = [connection(1, 7, 1_000, { closedAt: 2_000 }), connection(2, 8, 3_000), connection(3, 7, 4_000)];
    const owners = new Map([
      [1, 'old'],
      [2, 'new'],
      [3, 'other'],
    ]);
    const ownerOf = (ref: string) => (ref === 'o.3:t1' ? 'o.3' : ref);
    const stranded = strandedOrders('new', connections, owners, [brokerOrder('o.1', 7), brokerOrder('o.2', 8), brokerOrder('o.3:t1', 7), brokerOrder('o.4', 7, 'Filled')], ownerOf);
    expect([...stranded.keys()]).toEqual(['o.1', 'o.3']);
    expect(strandedOrders(null, connections, owners, [brokerOrder('o.1', 7)], ownerOf).size).toBe(0);
  });

  it('are listed as excused by the ledger check instead of counted, and only when excused', () => {
    const records = new RuntimeRecords();
    records.noteStored('o.1', { state: 'working', spec: { clientOrderId: 'o.1' }, updatedAt: 1, context: { filledQuantity: 0, fills: [] } } as never);
    const input = { requested: new Map([['o.1', { clientOrderId: 'o.1', kind: 'LMT', quantity: 1, childIds: [] }]]), executions: [], brokerOrders: [brokerOrder('o.1', 7)], doubleLive: [], records };
    expect(checkAgainstLedger(input)).toMatchObject({ unexplained: 1, excused: [] });
    const excused = checkAgainstLedger({ ...input, excused: new Map([['o.1', 'working under IB client id 7']]) });
    expect(excused).toMatchObject({ lost: 0, duplicated: 0, phantom: 0, unexplained: 0 });
    expect(excused.excused).toEqual([expect.stringContaining('o.1 (LMT): working in the store, 1 broker order(s) working: working under IB client id 7')]);
  });
});
