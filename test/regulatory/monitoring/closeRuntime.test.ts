import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../../../src/admin/buildAdminApp.ts';
import { loadConfig } from '../../../src/config/index.ts';
import type { MonitorContext } from '../../../src/machines/regulatory/monitor/monitorTypes.ts';
import { namespaceKeys } from '../../../src/redis/namespaceKeys.ts';
import { DeadLetterQueue } from '../../../src/queues/index.ts';
import { closeWindowAt } from '../../../src/regulatory/monitoring/closeWindow.ts';
import { addDays } from '../../../src/shared/calendarDays.ts';
import { REGULATORY_MONITOR_ID, RegulatoryCapability } from '../../../src/runtime/capabilities/regulatory.ts';
import { Runtime } from '../../../src/runtime/runtime.ts';
import { createMemoryLogger } from '../../admin/memoryLogger.ts';
import { connectedSim, STEADY_TIMING } from '../../ib/ibConnectionHarness.ts';
import { runCapability } from '../../runtime/capabilities/capabilityKit.ts';
import { REDIS_URL, testRedis, uniquePrefix } from './monitoringKit.ts';
import { waitUntil } from '../../support/waitUntil.ts';
import { SIM_CLOCK_ENV } from '../../support/simClock.ts';
import { contractResolution } from '../../../src/runtime/capabilities/contractResolution.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const TOKEN = 'regulatory-close-token';

/** The real runtime with the regulatory subtree over the simulator, its admin app, and a namespace of its own. */
async function world() {
  const { conn } = await connectedSim(cleanups, 'ib connected', {}, STEADY_TIMING);
  const namespace = uniquePrefix('rt-close');
  const { redis, cleanup } = testRedis(namespace);
  cleanups.push(cleanup);
  const logs = createMemoryLogger();
  const config = loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: {
      namespace,
      redis: { url: REDIS_URL },
      supervision: { intensity: 3, periodMs: 5_000, backoff: { minMs: 0, maxMs: 0, jitter: 0 } },
      regulatoryMonitor: { seedRetryMs: 50, closeRetryMs: 50, closeAttempts: 2 },
    },
  });
  const runtime = await Runtime.start({ config, logger: logs.logger, root: { children: [] } });
  cleanups.push(() => runtime.tree.forceStop());
  const broker = { session: () => conn.session, sessions: new Map([['ib', conn.session]]) };
  const regulatory = new RegulatoryCapability({ config, tree: runtime.tree, metricsRegistry: runtime.metricsRegistry, readiness: runtime, redis, broker, contracts: contractResolution({ config, redis, broker, logger: logs.logger }).resolver, reports: null, logger: logs.logger });
  await runCapability(runtime.tree, regulatory);
  cleanups.push(() => regulatory.stop());
  const app = buildAdminApp({ view: runtime, token: TOKEN, logger: logs.logger });
  cleanups.push(() => app.close());
  const context = () => (runtime.tree.get(REGULATORY_MONITOR_ID)!.getSnapshot() as { context: MonitorContext }).context;
  const inject = (body: unknown) =>
    app.inject({ method: 'POST', url: `/actors/${REGULATORY_MONITOR_ID}/events`, headers: { authorization: `Bearer ${TOKEN}` }, payload: body as object });
  const ready = async () => (await app.inject({ method: 'GET', url: '/ready' })).json() as { ready: boolean; reasons?: string[] };
  await waitUntil(() => runtime.tree.get(REGULATORY_MONITOR_ID)?.getSnapshot().matches('running') === true, 'monitor seeded');
  const keys = namespaceKeys(namespace);
  return { runtime, redis, keys, logs, context, inject, ready, dlq: new DeadLetterQueue('regulatory-close', { connection: redis, prefix: keys.bullPrefix }) };
}

describe('regulatory monitor day closes in the runtime (admin API, /ready, regulatory-close:dead)', () => {
  it('refuses days outside the window with 400 naming day; a failing close is dead-lettered, shown in /ready, does not block the next, and its replay closes it', async () => {
    const w = await world();
    cleanups.push(() => w.dlq.close());

    const future = await w.inject({ type: 'CLOSE_DAY', day: '9999-12-31' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toMatch(/^actor "regulatory-monitor" refused the event: day: 9999-12-31 is after the next business day \(\d{4}-\d{2}-\d{2}\)/);
    const ancient = await w.inject({ type: 'CLOSE_DAY', day: '2001-01-02' });
    expect(ancient.statusCode).toBe(400);
    expect(ancient.json().error.message).toMatch(/day: 2001-01-02 is older than the 5-year retention/);
    expect(w.context().closing).toBeNull();
    expect(w.context().queuedCloses).toEqual([]);

    const { to } = closeWindowAt(Date.now(), { closeTimeZone: 'America/Chicago', retentionYears: 5 });
    const [failing, later] = [addDays(to, -1), addDays(to, -2)];
    // A real Redis failure: the closed-days set is not a sorted set, so recording any close fails.
    const daysKey = `${w.keys.regulatoryPositions()}:days`;
    await w.redis.set(daysKey, 'not a sorted set');
    expect((await w.inject({ type: 'CLOSE_DAY', day: failing })).statusCode).toBe(202);
    await waitUntil(() => w.context().failedCloses.length === 1, 'the close given up');
    expect(w.context().failedCloses[0]).toMatchObject({ day: failing, attempts: 2, reason: expect.stringMatching(new RegExp(`^close of ${failing} not recorded: WRONGTYPE`)) });

    const notReady = await w.ready();
    expect(notReady.ready).toBe(false);
    expect(notReady.reasons).toEqual([expect.stringMatching(new RegExp(`^regulatory day close of ${failing} failed after 2 attempt\\(s\\) \\(close of ${failing} not recorded: WRONGTYPE.*\\); dead-lettered to regulatory-close:dead`))]);
    expect(w.logs.entries.filter((e) => e.level === 'error' && e.day === failing).map((e) => e.message)).toEqual(['regulatory day close failed and was dead-lettered; later closes go on']);
    await waitUntil(async () => (await w.dlq.count()) === 1, 'the dead letter');
    const [letter] = await w.dlq.list();
    expect(letter).toMatchObject({ queue: 'regulatory-close', kind: 'attempts_exhausted', attemptsMade: 2, payload: { day: failing, positions: [] } });

    // The cause goes away: a later close runs at once, while the failed day stays listed.
    await w.redis.del(daysKey);
    expect((await w.inject({ type: 'CLOSE_DAY', day: later })).statusCode).toBe(202);
    await waitUntil(() => w.context().lastClose?.day === later, 'the later close');
    expect((await w.ready()).ready).toBe(false);

    // `tradewire dlq replay` puts it back on regulatory-close; the monitor closes it and /ready clears.
    expect(await w.dlq.replay(letter!.id)).toMatchObject({ status: 'replayed' });
    await waitUntil(() => w.context().lastClose?.day === failing, 'the replayed close');
    expect(w.context().failedCloses).toEqual([]);
    expect(await w.ready()).toMatchObject({ ready: true, reasons: [] });
    expect(await w.redis.zrange(daysKey, '0', '-1')).toEqual([later, failing].sort());
  });

  it('a crashed monitor is restarted with its stored state: the last close and the failed close still unresolved (still in /ready)', async () => {
    const w = await world();
    cleanups.push(() => w.dlq.close());
    const { to } = closeWindowAt(Date.now(), { closeTimeZone: 'America/Chicago', retentionYears: 5 });
    const [failing, later] = [addDays(to, -3), addDays(to, -1)];
    const daysKey = `${w.keys.regulatoryPositions()}:days`;
    await w.redis.set(daysKey, 'not a sorted set');
    await w.inject({ type: 'CLOSE_DAY', day: failing });
    await waitUntil(async () => w.context().failedCloses.length === 1 && (await w.dlq.count()) === 1, 'the close dead-lettered');
    await w.redis.del(daysKey);
    await w.inject({ type: 'CLOSE_DAY', day: later });
    await waitUntil(() => w.context().lastClose?.day === later, 'the later close');

    // A bug inside the machine (a FILL no publisher would send): the actor fails and its supervisor restarts it.
    const before = w.runtime.tree.get(REGULATORY_MONITOR_ID);
    w.runtime.tree.send(REGULATORY_MONITOR_ID, { type: 'FILL', fills: null } as never);
    await waitUntil(() => {
      const now = w.runtime.tree.get(REGULATORY_MONITOR_ID);
      return now !== undefined && now !== before && now.getSnapshot().matches('running');
    }, 'the monitor restarted and seeded');
    const node = w.runtime.actorTree().children.flatMap((child) => child.children).find((child) => child.systemId === REGULATORY_MONITOR_ID)!;
    expect(node.restarts).toBe(1);

    expect(w.context().lastClose).toEqual({ day: later, positions: 0, jobId: null });
    expect(w.context().failedCloses).toEqual([{ day: failing, attempts: 2, reason: expect.stringMatching(new RegExp(`^close of ${failing} not recorded: WRONGTYPE`)) }]);
    const ready = await w.ready();
    expect(ready.ready).toBe(false);
    expect(ready.reasons).toEqual([expect.stringContaining(`regulatory day close of ${failing} failed after 2 attempt(s)`)]);
  });
});
