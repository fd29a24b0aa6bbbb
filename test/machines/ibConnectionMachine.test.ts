import { SimulatedClock, createActor, fromCallback, fromPromise, type AnyActorRef } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createIbConnectionMachine } from '../../src/machines/ib/ibConnectionMachine.ts';
import type { IbClientCommand, IbClientEvent, IbConnectionInput } from '../../src/machines/ib/ibConnectionTypes.ts';

/**
 * The machine alone on a simulated clock. The client actor here answers commands the way
 * src/actors/ib/ibClient does (the socket-level behaviour is tested against the simulator in
 * test/ib); what it answers is scripted per test.
 */
function scriptedClient(script: { refuse?: (host: string, port: number) => boolean; silent?: boolean }, commands: IbClientCommand[], peer: { send?: (e: IbClientEvent) => void }) {
  return fromCallback<IbClientCommand, unknown, IbClientEvent>(({ sendBack, receive }) => {
    peer.send = sendBack;
    receive((command) => {
      commands.push(command);
      if (command.type === 'heartbeat' && !script.silent) sendBack({ type: 'ib.currentTime', time: 0 });
      if (command.type !== 'connect') return;
      if (script.refuse?.(command.host, command.port)) {
        sendBack({ type: 'ib.disconnected', reason: 'refused' });
        return;
      }
      sendBack({ type: 'ib.connected' });
      sendBack({ type: 'ib.managedAccounts', accounts: ['DU1'] });
      sendBack({ type: 'ib.nextValidId', orderId: 100 });
    });
  });
}

const input: IbConnectionInput = {
  gateways: [
    { host: 'primary', port: 1 },
    { host: 'backup', port: 2 },
  ],
  clientIds: [1, 2],
  timing: {
    connectTimeoutMs: 1_000,
    handshakeTimeoutMs: 1_000,
    heartbeatIntervalMs: 1_000,
    heartbeatTimeoutMs: 500,
    stableAfterMs: 10_000,
    failoverAfterAttempts: 3,
    primaryProbeIntervalMs: 5_000,
  },
  backoff: { minMs: 100, maxMs: 1_000, jitter: 0 },
};

function start(script: Parameters<typeof scriptedClient>[0] = {}, probeOk = () => false) {
  const clock = new SimulatedClock();
  const commands: IbClientCommand[] = [];
  const peer: { send?: (e: IbClientEvent) => void } = {};
  const machine = createIbConnectionMachine({
    client: scriptedClient(script, commands, peer),
    probe: fromPromise(async () => {
      if (!probeOk()) throw new Error('unreachable');
    }),
  });
  const actor = createActor(machine, { input, clock }).start();
  return { actor: actor as typeof actor & AnyActorRef, clock, commands, peer };
}

const health = (actor: { getSnapshot(): { value: unknown } }) => (actor.getSnapshot().value as { connected?: { health: string } }).connected?.health;

describe('IB connection machine (simulated clock)', () => {
  it('backs off exponentially between refused attempts, then fails over to the backup', () => {
    const { actor, clock, commands } = start({ refuse: (host) => host === 'primary' });
    const connectsAt: number[] = [];
    const record = () => {
      for (const c of commands.splice(0)) if (c.type === 'connect') connectsAt.push(clock.now());
    };
    record();
    for (let t = 0; t < 2_000; t += 10) {
      clock.increment(10);
      record();
    }
    // 0: first try; +100 and +200 backoff; the third failure fails over at once.
    expect(connectsAt.slice(0, 4)).toEqual([0, 100, 300, 300]);
    expect(actor.getSnapshot().context.gatewayIndex).toBe(1);
    expect(health(actor)).toBe('healthy');
    expect(actor.getSnapshot().context.counters.failovers).toBe(1);
  });

  it('treats an unanswered heartbeat as a half-open socket', () => {
    const { actor, clock, commands } = start({ silent: true });
    expect(health(actor)).toBe('healthy');
    clock.increment(1_000);
    expect(commands.some((c) => c.type === 'heartbeat')).toBe(true);
    clock.increment(499);
    expect(health(actor)).toBe('healthy');
    clock.increment(1);
    expect(actor.getSnapshot().context.counters.halfOpenDetected).toBe(1);
    expect(actor.getSnapshot().value).toBe('backoff');
  });

  it('counts unknown codes and emits them, never failing', () => {
    const { actor, peer } = start();
    const unknown: unknown[] = [];
    actor.on('ib.unknownCode', (e) => unknown.push(e));
    peer.send!({ type: 'ib.message', code: 987_654, message: 'something new', reqId: -1 });
    peer.send!({ type: 'ib.message', code: Number.NaN, message: 'garbage', reqId: -1 });
    expect(actor.getSnapshot().status).toBe('active');
    expect(actor.getSnapshot().context.counters.unknownCodes).toBe(2);
    expect(unknown).toHaveLength(2);
    expect(health(actor)).toBe('healthy');
  });

  it('routes order and request messages to whoever owns them', () => {
    const { actor, peer } = start();
    const routed: { routing: string; code: number; reqId: number }[] = [];
    actor.on('ib.routed', (e) => routed.push(e));
    peer.send!({ type: 'ib.message', code: 201, message: 'Order rejected', reqId: 105 });
    peer.send!({ type: 'ib.message', code: 200, message: 'No security definition', reqId: 100_000_001 });
    expect(routed.map((r) => [r.routing, r.code, r.reqId])).toEqual([
      ['order', 201, 105],
      ['request', 200, 100_000_001],
    ]);
  });

  it('fails back to the primary once its probe succeeds', () => {
    let primaryUp = false;
    const { actor, clock } = start({ refuse: (host) => host === 'primary' && !primaryUp }, () => primaryUp);
    for (let t = 0; t < 1_000; t += 10) clock.increment(10);
    expect(actor.getSnapshot().context.gatewayIndex).toBe(1);
    primaryUp = true;
    for (let t = 0; t < 6_000; t += 10) clock.increment(10);
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      for (let t = 0; t < 100; t += 10) clock.increment(10);
      expect(actor.getSnapshot().context.gatewayIndex).toBe(0);
      expect(actor.getSnapshot().context.counters.failbacks).toBe(1);
    });
  });
});
