import { createActor } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { TwsSimulator, simulatorFaultSchema } from '../../src/sim/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { simulatorServerActor } from '../../src/actors/simulatorServer.ts';
import { createSimulatorMachine, simulatorEventSchema } from '../../src/machines/sim/simulatorMachine.ts';
import { formatIssues } from '../../src/shared/zodIssues.ts';
import { EventName, TestClient, futures, order } from './harness.ts';
import { startSimulator } from '../support/simulator.ts';
import { TEST_SIM_CLOCK, TEST_SIM_CLOCK_MS } from '../support/simClock.ts';
import { waitFor } from '../support/waitUntil.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Friday 2026-12-11 15:00 CT, an hour before the CME's weekly close. */
const FRIDAY_CLOSE_SOON = Date.UTC(2026, 11, 11, 21);

/** A base clock the test moves by hand, so simulator times are exact. */
function manualClock(start: number) {
  let now = start;
  return { now: () => now, pass: (ms: number) => (now += ms) };
}

const toClose: (TwsSimulator | TestClient)[] = [];
afterEach(async () => {
  for (const item of toClose.splice(0)) {
    if (item instanceof TestClient) {
      const unexpected = item.unexpectedErrors();
      item.disconnect();
      expect(unexpected).toEqual([]);
    } else await item.close();
  }
});

async function connected(sim: TwsSimulator, clientId = 1): Promise<{ client: TestClient; orderId: number }> {
  const client = new TestClient(sim.address!.port);
  toClose.push(client);
  return { client, orderId: await client.connect(clientId) };
}

async function currentTime(client: TestClient): Promise<number> {
  const answer = client.next(EventName.currentTime);
  client.ib.reqCurrentTime();
  return ((await answer)[0] as number) * 1000;
}

describe('the simulator clock', () => {
  it('starts at the configured instant and runs on with real time (startSimulator: the test instant)', async () => {
    const before = Date.now();
    const { sim } = await startSimulator();
    toClose.push(sim);
    const { client } = await connected(sim);
    const reported = await currentTime(client);
    expect(reported).toBeGreaterThanOrEqual(TEST_SIM_CLOCK_MS);
    expect(reported).toBeLessThanOrEqual(TEST_SIM_CLOCK_MS + (Date.now() - before) + 1000);
    expect(sim.now()).toBeGreaterThanOrEqual(TEST_SIM_CLOCK_MS);
  });

  it('crosses a weekend in one call: set to Friday afternoon, advance 3d, currentTime and executions follow', async () => {
    const base = manualClock(TEST_SIM_CLOCK_MS);
    const { sim } = await startSimulator({ clock: base });
    toClose.push(sim);
    const { client, orderId } = await connected(sim);
    sim.setClock(FRIDAY_CLOSE_SOON);
    expect(sim.now()).toBe(FRIDAY_CLOSE_SOON);
    base.pass(1_500);
    expect(sim.now()).toBe(FRIDAY_CLOSE_SOON + 1_500);
    sim.advanceClock(3 * DAY);
    expect(await currentTime(client)).toBe(Math.floor((FRIDAY_CLOSE_SOON + 3 * DAY + 1_500) / 1000) * 1000);
    const exec = client.next(EventName.execDetails);
    client.ib.placeOrder(orderId, futures('ES'), order('BUY', 1, 'MKT'));
    expect((await exec)[2].time).toBe('20261214 21:00:01 UTC');
    expect(sim.ledger.all()[0]?.time).toBe(FRIDAY_CLOSE_SOON + 3 * DAY + 1_500);
  });

  it('refuses to go backwards, naming the instants, and leaves the clock where it was', async () => {
    const base = manualClock(TEST_SIM_CLOCK_MS);
    const { sim } = await startSimulator({ clock: base });
    toClose.push(sim);
    expect(() => sim.setClock(TEST_SIM_CLOCK_MS - 1)).toThrow(
      'clock.set: 2026-12-07T14:59:59.999Z is earlier than the simulator\'s now 2026-12-07T15:00:00.000Z; IB time never goes backwards',
    );
    expect(() => sim.advanceClock(-1)).toThrow(/clock\.advance: by must be a whole, non-negative number of ms, got -1/);
    expect(() => sim.advanceClock(1.5)).toThrow(/clock\.advance/);
    expect(() => sim.setClock(Number.NaN)).toThrow(/clock\.set/);
    expect(sim.now()).toBe(TEST_SIM_CLOCK_MS);
    sim.setClock(TEST_SIM_CLOCK_MS); // now itself is not backwards
    expect(sim.now()).toBe(TEST_SIM_CLOCK_MS);
  });

  it('refuses a clock option that is not an instant with a zone, naming the option', () => {
    for (const bad of ['2026-12-07T15:00:00', 'monday', '']) {
      expect(() => new TwsSimulator({ clock: bad, tickIntervalMs: 0, logger: createSilentLogger() })).toThrow(/simulator option clock must be an ISO 8601 instant with a zone/);
    }
    const sim = new TwsSimulator({ clock: '2026-12-07T09:00:00-06:00', tickIntervalMs: 0, logger: createSilentLogger() });
    expect(Math.abs(sim.now() - TEST_SIM_CLOCK_MS)).toBeLessThan(1_000);
  });

  it('a clock move re-runs matching, as time passing would: the next partial fill comes at the new time', async () => {
    const base = manualClock(TEST_SIM_CLOCK_MS);
    const { sim } = await startSimulator({ clock: base, partialFills: { enabled: true, maxQtyPerFill: 1 } });
    toClose.push(sim);
    const { client, orderId } = await connected(sim);
    const first = client.next(EventName.execDetails);
    client.ib.placeOrder(orderId, futures('ES'), order('BUY', 3, 'MKT', { orderRef: 'clock-partial' }));
    await first;
    sim.advanceClock(2 * HOUR);
    sim.setClock(TEST_SIM_CLOCK_MS + 5 * HOUR);
    await waitFor(() => sim.ledger.byOrderRef('clock-partial').length === 3, 'three partial fills');
    expect(sim.ledger.byOrderRef('clock-partial').map((e) => e.time)).toEqual([TEST_SIM_CLOCK_MS, TEST_SIM_CLOCK_MS + 2 * HOUR, TEST_SIM_CLOCK_MS + 5 * HOUR]);
  });
});

describe('clock faults (admin route, CLI inject)', () => {
  it('clock.set and clock.advance move the clock; durations read 3d, 2h, 90s, 1h30m or ms', async () => {
    const base = manualClock(TEST_SIM_CLOCK_MS);
    const { sim } = await startSimulator({ clock: base });
    toClose.push(sim);
    sim.injectFault({ kind: 'clock.set', at: '2026-12-11T15:00:00-06:00' });
    expect(sim.now()).toBe(FRIDAY_CLOSE_SOON);
    let expected = FRIDAY_CLOSE_SOON;
    for (const [by, ms] of [['3d', 3 * DAY], ['2h', 2 * HOUR], ['90s', 90_000], ['1h30m', 1.5 * HOUR], [250, 250], ['250', 250]] as const) {
      sim.injectFault({ kind: 'clock.advance', by });
      expected += ms;
      expect(sim.now()).toBe(expected);
    }
  });

  it('bad values are refused naming the field; a backwards set names the rule', async () => {
    const problems = (fault: unknown) => {
      const parsed = simulatorFaultSchema.safeParse(fault);
      return parsed.success ? [] : formatIssues(parsed.error.issues, { style: 'dotted' });
    };
    expect(problems({ kind: 'clock.set', at: '2026-12-07 15:00' })).toEqual(['at: must be an ISO 8601 instant with a zone, e.g. 2026-12-07T15:00:00Z']);
    expect(problems({ kind: 'clock.set' })).toHaveLength(1);
    expect(problems({ kind: 'clock.set' })[0]).toMatch(/^at: /);
    expect(problems({ kind: 'clock.advance', by: 'soon' })).toEqual(['by: must be a duration like 3d, 2h, 90s, 1h30m or a whole number of milliseconds']);
    expect(problems({ kind: 'clock.advance', by: -5 })[0]).toMatch(/^by: must be a duration/);
    expect(problems({ kind: 'clock.advance', by: 2.5 })[0]).toMatch(/^by: must be a duration/);

    const { sim } = await startSimulator({ clock: manualClock(TEST_SIM_CLOCK_MS) });
    toClose.push(sim);
    expect(() => sim.injectFault({ kind: 'clock.advance', by: 'later' })).toThrow(/by/);
    expect(() => sim.injectFault({ kind: 'clock.set', at: '2026-12-01T00:00:00Z' })).toThrow(/IB time never goes backwards/);
    expect(sim.now()).toBe(TEST_SIM_CLOCK_MS);
  });

  it('reach the simulator through its machine, as admin events do; a refused move is recorded as lastError', async () => {
    const base = manualClock(TEST_SIM_CLOCK_MS);
    let started: TwsSimulator | undefined;
    const machine = createSimulatorMachine(
      simulatorServerActor({ host: '127.0.0.1', port: 0, logger: createSilentLogger(), simulator: { clock: base, tickIntervalMs: 0 }, onStarted: (s) => (started = s) }),
    );
    const actor = createActor(machine).start();
    try {
      await waitFor(() => actor.getSnapshot().value === 'listening', 'sim listening');
      const event = simulatorEventSchema.parse({ type: 'FAULT', fault: { kind: 'clock.advance', by: '3d' } });
      actor.send(event);
      expect(started!.now()).toBe(TEST_SIM_CLOCK_MS + 3 * DAY);
      expect(actor.getSnapshot().context.lastFault).toBe('clock.advance');
      actor.send({ type: 'FAULT', fault: { kind: 'clock.set', at: TEST_SIM_CLOCK } });
      expect(actor.getSnapshot().context.lastError).toMatch(/^clock\.set: 2026-12-07T15:00:00\.000Z is earlier than the simulator's now 2026-12-10T15:00:00\.000Z/);
      const refused = simulatorEventSchema.safeParse({ type: 'FAULT', fault: { kind: 'clock.advance', by: 'a while' } });
      expect(refused.success).toBe(false);
      expect(formatIssues(refused.error!.issues, { style: 'dotted' })).toEqual(['fault.by: must be a duration like 3d, 2h, 90s, 1h30m or a whole number of milliseconds']);
    } finally {
      actor.stop();
      await started?.close();
    }
  });
});

describe('where the clock start comes from', () => {
  it('the runtime passes broker.sim.clock to its embedded simulator', async () => {
    const { loadConfig } = await import('../../src/config/index.ts');
    const { simulatorChild } = await import('../../src/runtime/capabilities/broker.ts');
    const config = loadConfig({ env: { TRADEWIRE_SIM_CLOCK: '2026-12-11T21:00:00Z' }, overrides: { broker: { sim: { port: 0 } } } });
    let started: TwsSimulator | undefined;
    const actor = createActor(simulatorChild(config, createSilentLogger(), (s) => (started = s)).logic as ReturnType<typeof createSimulatorMachine>).start();
    try {
      await waitFor(() => actor.getSnapshot().value === 'listening', 'sim listening');
      expect(started!.now()).toBeGreaterThanOrEqual(FRIDAY_CLOSE_SOON);
      expect(started!.now()).toBeLessThan(FRIDAY_CLOSE_SOON + 10_000);
    } finally {
      actor.stop();
      await started?.close();
    }
  });
});
