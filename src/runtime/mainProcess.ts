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
import { startRegulatory, type RegulatoryRuntime } from './regulatoryRuntime';
import { startReports, type ReportsRuntime } from './reportsRuntime';
import { startMarketData } from './startMarketData';
import type { TreeOutcome } from '../supervision/supervisionTree';

export interface MainProcess {
  runtime: Runtime;
  admin: AdminServer;
  resources: RuntimeResources;
  orders: OrdersRuntime | null;
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
  const marketData = startMarketData(config, resources);
  const runtime = await Runtime.start({ config, logger, root: mainTree(config, resources, subtrees) });
  marketData.attach(runtime);
  let admin: AdminServer;
  let orders: OrdersRuntime | null = null;
  let regulatory: RegulatoryRuntime | null = null;
  let reports: ReportsRuntime | null = null;
  try {
    orders = await startOrders(config, runtime, resources);
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
    config,
    outcome: runtime.tree.outcome,
    stop() {
      stopping ??= (async () => {
        logger.info('stopping tradewire');
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
