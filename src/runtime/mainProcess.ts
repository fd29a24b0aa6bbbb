import type { Config } from '../config';
import { describeConfigForLog } from '../config';
import type { Logger } from '../log/logger';
import { startAdminServer, type AdminServer } from '../admin';
import { assertRedisReachable } from './redisCheck';
import { mainTree, type SubtreeFactory } from './mainTree';
import { Runtime } from './runtime';
import { RuntimeResources } from './runtimeResources';
import { withResolvedPorts } from './freePort';
import { startOrders, type OrdersRuntime } from './ordersRuntime';
import { brokerReadiness } from './brokerReadiness';
import { startRegulatory, type RegulatoryRuntime } from './regulatoryRuntime';
import { startReports, type ReportsRuntime } from './reportsRuntime';
import { startMarketData } from './startMarketData';
import type { TreeOutcome } from '../supervision/supervisionTree';
import { checkRedisPersistence } from './continuity/redisPersistence';
import { startContinuity, type Continuity } from './continuity/startContinuity';

export interface MainProcess {
  runtime: Runtime;
  admin: AdminServer;
  resources: RuntimeResources;
  orders: OrdersRuntime | null;
  /** The Redis continuity guard and the halt switch. */
  continuity: Continuity;
  /** The configuration as run, with any port 0 resolved. */
  config: Config;
  /** Settles when the tree ends on its own (root escalation). */
  outcome: Promise<TreeOutcome>;
  stop(): Promise<TreeOutcome>;
}

/** Everything `tradewire start` runs, without the process-level concerns (signals, exit codes). */
export async function startMainProcess(requested: Config, logger: Logger, subtrees: SubtreeFactory[] = []): Promise<MainProcess> {
  logger.info('starting tradewire', { config: describeConfigForLog(requested) });
  await assertRedisReachable(requested.redis.url);
  const config = await withResolvedPorts(requested);
  const resources = new RuntimeResources(logger, config.redis.url);
  try {
    await checkRedisPersistence(resources.redis, logger, { brokerMode: config.broker.mode, allowVolatile: config.redis.allowVolatile ?? false, url: config.redis.url });
  } catch (error) {
    await resources.close();
    throw error;
  }
  const marketData = startMarketData(config, resources);
  const runtime = await Runtime.start({ config, logger, root: mainTree(config, resources, subtrees) });
  marketData.attach(runtime);
  runtime.addReadinessCheck('broker', brokerReadiness(resources.ibSessions));
  let admin: AdminServer;
  let continuity: Continuity | null = null;
  let orders: OrdersRuntime | null = null;
  let regulatory: RegulatoryRuntime | null = null;
  let reports: ReportsRuntime | null = null;
  try {
    // Before intake: a store found lost at start halts intake before any job is taken.
    continuity = await startContinuity(config, resources, runtime);
    orders = await startOrders(config, runtime, resources);
    if (orders) continuity.attachOrders(orders.service);
    regulatory = await startRegulatory(config, runtime, resources);
    reports = await startReports(config, runtime, resources, regulatory.engines);
    if (reports) regulatory.useReports(reports);
    admin = await startAdminServer({
      view: runtime,
      host: config.admin.host,
      port: config.admin.port,
      ...(config.admin.token ? { token: config.admin.token } : {}),
      logger,
    });
  } catch (error) {
    await reports?.stop();
    await regulatory?.stop();
    await orders?.stop();
    await continuity?.stop();
    await runtime.stop();
    await marketData.stop();
    await resources.close();
    throw error;
  }
  runtime.whenReady().then(() => logger.info('ready', { actors: runtime.actorTree().children.length }));
  let stopping: Promise<TreeOutcome> | null = null;
  return {
    runtime,
    admin,
    resources,
    orders,
    continuity,
    config,
    outcome: runtime.tree.outcome,
    stop() {
      stopping ??= (async () => {
        logger.info('stopping tradewire');
        await continuity.stop();
        // Intake stops first (reverse of start), so no new order arrives while actors stop.
        await orders?.stop();
        await reports?.stop();
        await regulatory?.stop();
        const outcome = await runtime.stop();
        await marketData.stop();
        await admin.close();
        await resources.close();
        logger.info('stopped', { outcome: outcome.kind });
        return outcome;
      })();
      return stopping;
    },
  };
}
