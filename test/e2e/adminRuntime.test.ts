import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startAdminServer, type AdminServer } from '../../src/admin/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { Runtime } from '../../src/runtime/runtime.ts';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import { workerMachine } from '../supervision/helpers.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

const TOKEN = 'runtime-admin-token';
/** What the test worker declares it takes from outside: only declared events may be injected. */
const workerEvents = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') }), z.object({ type: z.literal('crash') })]);
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startWithAdmin(): Promise<{ runtime: Runtime; admin: AdminServer }> {
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { admin: { port: 0 } } });
  const runtime = await Runtime.start({
    config,
    logger: createSilentLogger(),
    root: {
      intensity: 10,
      restartBufferSize: 2,
      // A long backoff keeps the worker restarting while the test sends to it.
      backoff: { minMs: 60_000, maxMs: 60_000, jitter: 0 },
      children: [{ id: 'worker', logic: workerMachine, eventSchema: workerEvents }],
    },
  });
  const admin = await startAdminServer({ view: runtime, port: 0, token: TOKEN, logger: createSilentLogger() });
  cleanup.push(() => runtime.stop(), () => admin.close());
  return { runtime, admin };
}

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const post = (url: string, body: unknown): Promise<JsonResponse> =>
  fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('admin API over the real runtime', () => {
  it('delivers, holds during a restart, dead-letters on overflow, and counts it all in /metrics', async () => {
    const { runtime, admin } = await startWithAdmin();
    const events = `${admin.url}/actors/worker/events`;

    expect((await (await post(events, { type: 'ping' })).json()).delivery).toBe('delivered');
    expect((runtime.tree.get('worker')!.getSnapshot() as { context: { pings: number } }).context.pings).toBe(1);

    expect((await post(events, { type: 'crash' })).status).toBe(202);
    const ready: JsonResponse = await fetch(`${admin.url}/ready`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).reasons).toEqual(['worker is restarting']);

    expect((await (await post(events, { type: 'ping' })).json()).delivery).toBe('buffered');
    expect((await (await post(events, { type: 'ping' })).json()).delivery).toBe('buffered');
    const overflow = await post(events, { type: 'ping' });
    expect(overflow.status).toBe(503);
    expect((await overflow.json()).error.code).toBe('restart_buffer_full');

    expect((await post(`${admin.url}/actors/nobody/events`, { type: 'ping' })).status).toBe(404);

    const tree = (await (await fetch(`${admin.url}/actors`)).json()) as any;
    expect(tree.children[0]).toMatchObject({ systemId: 'worker', status: 'restarting', restarts: 0 });

    const metrics = await (await fetch(`${admin.url}/metrics`)).text();
    expect(metrics).toMatch(/tradewire_dead_letters_total\{reason="restart_buffer_overflow"\} 1/);
    expect(metrics).toMatch(/tradewire_dead_letters_total\{reason="unknown_actor"\} 1/);
    expect(metrics).toMatch(/tradewire_child_failures_total\{supervisor="root",child="worker"\} 1/);
    expect(metrics).toMatch(/tradewire_events_delivered_total\{source="admin"\} 4/);
    expect(metrics).toMatch(/tradewire_nodejs_eventloop_lag_seconds/);
  });

  it('counts restarts and escalations', async () => {
    const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { admin: { port: 0 } } });
    const runtime = await Runtime.start({ config, logger: createSilentLogger(), root: { intensity: 1, periodMs: 60_000, children: [{ id: 'w', logic: workerMachine }] } });
    cleanup.push(() => runtime.stop());
    runtime.tree.send('w', { type: 'crash' });
    runtime.tree.send('w', { type: 'crash' });
    expect((await runtime.tree.outcome).kind).toBe('escalated');
    const metrics = await runtime.metricsRegistry.metrics();
    expect(metrics).toMatch(/tradewire_restarts_total\{supervisor="root",child="w"\} 1/);
    expect(metrics).toMatch(/tradewire_escalations_total\{supervisor="root"\} 1/);
  });
});

describe('injected events cannot impersonate the runtime', () => {
  it('rejects XState and supervisor-internal event types with 400, leaving the child alone', async () => {
    const { runtime, admin } = await startWithAdmin();
    const worker = runtime.tree.get('worker');
    for (const type of ['xstate.error.actor.worker#1', 'xstate.stop', 'tradewire.supervisor.startDue']) {
      const response = await post(`${admin.url}/actors/root/events`, { type, error: 'forged' });
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(/internal/);
    }
    expect(runtime.tree.get('worker')).toBe(worker);
    expect(runtime.actorTree().children[0]!.restarts).toBe(0);
  });
});

describe("an actor's declared event schema", () => {
  it('refuses injected events that do not match it with 400 and the reason, before they reach the actor', async () => {
    const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { admin: { port: 0 } } });
    const runtime = await Runtime.start({
      config,
      logger: createSilentLogger(),
      root: {
        children: [
          {
            id: 'strict',
            logic: workerMachine,
            eventSchema: z.discriminatedUnion('type', [z.object({ type: z.literal('ping') }), z.object({ type: z.literal('crash'), why: z.string() })]),
          },
        ],
      },
    });
    const admin = await startAdminServer({ view: runtime, port: 0, token: TOKEN, logger: createSilentLogger() });
    cleanup.push(() => runtime.stop(), () => admin.close());
    const refused = await post(`${admin.url}/actors/strict/events`, { type: 'crash' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/refused the event: why/);
    expect(runtime.actorTree().children[0]!.restarts).toBe(0);
    expect((await post(`${admin.url}/actors/strict/events`, { type: 'ping' })).status).toBe(202);
  });
});

describe('what the runtime never takes from outside', () => {
  it('refuses lifecycle events and anything undeclared, into the root, a supervisor or a child, and stays up', async () => {
    const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { admin: { port: 0 } } });
    const runtime = await Runtime.start({
      config,
      logger: createSilentLogger(),
      root: { children: [supervisor('team', { children: [{ id: 'worker', logic: workerMachine, eventSchema: workerEvents }, { id: 'silent', logic: workerMachine }] })] },
    });
    const admin = await startAdminServer({ view: runtime, port: 0, token: TOKEN, logger: createSilentLogger() });
    cleanup.push(() => runtime.stop(), () => admin.close());
    await runtime.whenReady();

    const refusals: [string, unknown, RegExp][] = [
      ['root', { type: 'tradewire.shutdown' }, /"tradewire\.shutdown" is internal/],
      ['team', { type: 'tradewire.shutdown' }, /"tradewire\.shutdown" is internal/],
      ['worker', { type: 'tradewire.shutdown' }, /"tradewire\.shutdown" is internal/],
      ['root', { type: 'ping' }, /accepts no injected events/],
      ['team', { type: 'ping' }, /accepts no injected events/],
      ['silent', { type: 'crash' }, /accepts no injected events/],
      ['worker', { type: 'finish' }, /event type "finish" is not declared by it \(it accepts "ping", "crash"\)/],
      ['worker', { type: 'broker.fill', fill: {} }, /broker-origin/],
    ];
    for (const [systemId, event, message] of refusals) {
      const response = await post(`${admin.url}/actors/${systemId}/events`, event);
      expect(response.status, `${systemId} ${JSON.stringify(event)}`).toBe(400);
      expect((await response.json()).error.message).toMatch(message);
    }
    expect(runtime.readiness()).toEqual({ ready: true, reasons: [] });
    expect(runtime.actorTree().children[0]!.children.map((c) => [c.systemId, c.status, c.restarts])).toEqual([
      ['worker', 'running', 0],
      ['silent', 'running', 0],
    ]);
  });
});
