import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { OrderService } from '../../../src/orders/orderService.ts';
import { ORDERS_SUPERVISOR_ID } from '../../../src/orders/orderActorIds.ts';
import { fieldOf } from '../../../src/regulatory/cftc/formats/cftc80/recordLayout.ts';
import { namespaceKeys } from '../../../src/redis/namespaceKeys.ts';
import { LEVEL_ALERTS_METRIC } from '../../../src/regulatory/monitoring/levelAlerts.ts';
import { DEFAULT_REGULATORY_MONITOR_CONFIG } from '../../../src/regulatory/monitoring/monitoringConfig.ts';
import { DEMO_REGULATORY_CONFIG } from '../../../src/regulatory/regulatoryConfig.ts';
import { REGULATORY_MONITOR_ID, RegulatoryCapability } from '../../../src/runtime/capabilities/regulatory.ts';
import { ReportsCapability } from '../../../src/runtime/capabilities/reports.ts';
import { regulatoryPositions, reportEngines } from '../../../src/runtime/capabilities/reportEngines.ts';
import { supervisor } from '../../../src/supervision/supervisorLogic.ts';
import { connectedSim, STEADY_TIMING } from '../../ib/ibConnectionHarness.ts';
import { emptyTree, readinessChecks, runCapability } from '../../runtime/capabilities/capabilityKit.ts';
import { dropDirs, fastReportsConfig, filedReports, regulatorAnswering } from '../pipeline/regulatorInbox.ts';
import { REDIS_URL, testRedis, uniquePrefix } from './monitoringKit.ts';
import { HandMovedClock } from '../../support/handMovedClock.ts';
import { waitUntil } from '../../support/waitUntil.ts';
import { contractResolution } from '../../../src/runtime/capabilities/contractResolution.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const ACCOUNT = DEMO_REGULATORY_CONFIG.accounts[0]!.id;
const supervision = { intensity: 3, periodMs: 5_000, backoff: { minMs: 0, maxMs: 0, jitter: 0 } };

/**
 * The whole path over real parts: the simulator over TCP, an IB connection, the order service
 * on Redis/BullMQ, the regulatory monitor and the reports pipeline filing into a temp outbox,
 * all in one supervision tree sharing its event bus.
 */
async function world() {
  // The gateway at Monday 7 Dec 2026, 09:00 CT: CBOT corn trading (ZC March 2027 listed), whatever day the test runs.
  const { sim, gateway, conn } = await connectedSim(cleanups, 'ib connected', { clock: new HandMovedClock('2026-12-07T15:00:00Z') }, STEADY_TIMING);
  const namespace = uniquePrefix('e2e');
  const keys = namespaceKeys(namespace);
  const { redis, cleanup } = testRedis(namespace);
  cleanups.push(cleanup);
  const dirs = await dropDirs();
  cleanups.push(() => dirs.remove());

  const config = {
    namespace,
    redis: { url: REDIS_URL },
    supervision,
    regulatory: DEMO_REGULATORY_CONFIG,
    regulatoryMonitor: { ...DEFAULT_REGULATORY_MONITOR_CONFIG, seedRetryMs: 50, closeRetryMs: 50 },
    reports: fastReportsConfig(dirs),
  };
  const tree = emptyTree();
  cleanups.push(() => tree.forceStop());
  tree.startChild(tree.rootId, supervisor(ORDERS_SUPERVISOR_ID, { intensity: 100, children: [] }));
  const metricsRegistry = new Registry();
  const service = new OrderService({
    tree,
    session: conn.session,
    redis,
    redisUrl: REDIS_URL,
    logger: createSilentLogger(),
    prefix: keys.bullPrefix,
    storePrefix: keys.ordersPrefix,
    auditKey: keys.auditStream(),
    limits: { maxOrderSize: { '*': 1_000 }, positionLimit: { '*': 10_000 } },
    connectionInfo: () => ({ clientId: 1, gateway: `${gateway.host}:${gateway.port}` }),
    timing: { ackTimeoutMs: 2_000, cancelTimeoutMs: 2_000 },
  });
  await service.start();
  cleanups.push(() => service.stop());

  // As mainProcess builds and starts them: regulatory (its day close files through reports), then reports.
  const logger = createSilentLogger();
  const reports = new ReportsCapability({ config, tree, metricsRegistry, redis, engines: () => reportEngines(config, redis), logger });
  const broker = { session: () => conn.session, sessions: new Map([['ib', conn.session]]) };
  // The days closed below are fixed; so is "today" for the window they must be in.
  const now = () => Date.parse('2025-03-05T18:00:00Z');
  const regulatory = new RegulatoryCapability({ config, tree, metricsRegistry, readiness: readinessChecks(), redis, broker, contracts: contractResolution({ config, redis, broker, logger }).resolver, reports, logger, now });
  await runCapability(tree, regulatory);
  cleanups.push(() => regulatory.stop());
  await runCapability(tree, reports);
  cleanups.push(() => reports.stop());
  const positions = regulatoryPositions(config, redis);
  const regulator = regulatorAnswering(dirs);
  cleanups.push(() => regulator.stop());

  const alerts: Record<string, unknown>[] = [];
  cleanups.push(tree.services.bus.subscribe<Record<string, unknown>>('regulatory.*', (payload, topic) => void alerts.push({ topic, ...payload })));

  const orders = new Queue('orders', { connection: redis, prefix: keys.bullPrefix });
  cleanups.push(() => orders.close());
  const trade = async (clientOrderId: string, side: 'BUY' | 'SELL', quantity: number) => {
    await orders.add('order', { clientOrderId, account: ACCOUNT, instrument: { symbol: 'ZC', expiry: '202703' }, side, quantity, orderType: 'MKT', strategy: 'test' });
    await waitUntil(async () => (await service.store.load(clientOrderId))?.state === 'filled', `${clientOrderId} filled`);
  };
  const monitor = () => tree.get(REGULATORY_MONITOR_ID)!.getSnapshot() as { matches(state: unknown): boolean; context: { lastClose: { day: string } | null } };
  const closeDay = async (day: string) => {
    const event = { type: 'CLOSE_DAY', day };
    // As the admin API and `tradewire inject` deliver it: checked against the child's event schema first.
    expect(tree.services.profiles.problemWith(REGULATORY_MONITOR_ID, event)).toBeNull();
    expect(tree.send(REGULATORY_MONITOR_ID, event)).toBe('delivered');
    await waitUntil(() => monitor().context.lastClose?.day === day, `close of ${day}`);
  };
  const reportOf = async (day: string) => {
    const stamp = day.replaceAll('-', '');
    await waitUntil(async () => (await filedReports(dirs)).some((name) => name.includes(`TWD_${stamp}_LTR`)), `the large trader file for ${day}`);
    const name = (await filedReports(dirs)).find((file) => file.includes(`TWD_${stamp}_LTR`))!;
    return (await readFile(join(dirs.outbox, name), 'utf8')).split('\n').filter((line) => line.length > 0);
  };
  return { tree, sim, redis, positions, metricsRegistry, alerts, trade, monitor, closeDay, reportOf };
}

describe('reportable-level monitor end to end (simulator over TCP, real Redis and BullMQ, file-drop reports)', () => {
  it('fills that cross the corn level alert, the day close files the records, and dropping below files the drop-off', async () => {
    const w = await world();
    // Seeded from the broker before trading: fills are then applied over a known book.
    await waitUntil(() => w.monitor().matches('running'), 'monitor seeded');

    await w.trade('corn-1', 'BUY', 150);
    await w.trade('corn-2', 'BUY', 110);
    await waitUntil(() => w.alerts.length > 0, 'the reportable alert');
    expect(w.alerts).toEqual([
      { topic: 'regulatory.reportable', kind: 'reportable', account: ACCOUNT, symbol: 'ZC', contractMonth: '202703', market: '01:C', commodity: 'Corn', level: 250, net: 260 },
    ]);
    const node = w.tree.describe().children.find((child) => child.systemId === 'regulatory')!.children.find((child) => child.systemId === REGULATORY_MONITOR_ID)!;
    expect(node.details).toMatchObject({ reportable: [{ account: ACCOUNT, marketKey: '01:C' }], positions: 1 });

    await w.closeDay('2025-03-03');
    const [record, ...others] = await w.reportOf('2025-03-03');
    expect(others).toEqual([]);
    expect(record).toHaveLength(80);
    // 17.00(g): the account number right-justified, zero-filled in its 12 columns.
    expect(fieldOf(record!, 'accountNumber')).toBe(ACCOUNT.padStart(12, '0'));
    expect(fieldOf(record!, 'reportDate')).toBe('20250303');
    expect(fieldOf(record!, 'commodityCode1').trim()).toBe('C');
    expect(fieldOf(record!, 'expirationDate1').trim()).toBe('202703');
    expect(Number(fieldOf(record!, 'longBuyStopped'))).toBe(260);
    expect(Number(fieldOf(record!, 'shortSellIssued'))).toBe(0);
    expect(await w.positions.closingPositions('2025-03-03')).toEqual([{ account: ACCOUNT, symbol: 'ZC', contractMonth: '202703', net: 260 }]);

    await w.trade('corn-3', 'SELL', 20);
    await waitUntil(() => w.alerts.length > 1, 'the below-level alert');
    expect(w.alerts[1]).toEqual({ topic: 'regulatory.below_level', kind: 'belowLevel', account: ACCOUNT, symbol: 'ZC', contractMonth: '202703', market: '01:C', commodity: 'Corn', level: 250, net: 240 });

    // The first day no longer reportable: the drop-off record shows the position now held.
    await w.closeDay('2025-03-04');
    const [dropOff, ...more] = await w.reportOf('2025-03-04');
    expect(more).toEqual([]);
    expect(fieldOf(dropOff!, 'accountNumber')).toBe(ACCOUNT.padStart(12, '0'));
    expect(Number(fieldOf(dropOff!, 'longBuyStopped'))).toBe(240);

    // With the fields asked of OrderService (expiry, executions): a re-published execution counts once.
    const republished = { clientOrderId: 'twap-1', account: ACCOUNT, symbol: 'ZC', side: 'SELL', quantity: 5, filledQuantity: 5, expiry: '202703', executions: [{ execId: 'exec-twap-1', quantity: 5 }] };
    w.tree.services.bus.publish('order.fill', republished);
    w.tree.services.bus.publish('order.fill', { ...republished, clientOrderId: 'twap-1-slice-1', parentClientOrderId: 'twap-1' });
    const netNow = () => (w.monitor().context as unknown as { watch: { positions(): { net: number }[] } }).watch.positions()[0]?.net;
    await waitUntil(() => netNow() !== 240, 'the re-published fill applied');
    expect(netNow()).toBe(235);

    const counted = await w.metricsRegistry.getSingleMetricAsString(LEVEL_ALERTS_METRIC);
    expect(counted).toContain(`${LEVEL_ALERTS_METRIC}{kind="reportable",market="01:C"} 1`);
    expect(counted).toContain(`${LEVEL_ALERTS_METRIC}{kind="belowLevel",market="01:C"} 1`);
  });
});
