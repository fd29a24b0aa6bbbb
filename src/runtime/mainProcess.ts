import type { Config } from '../config/index.ts';
import { describeConfigForLog } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import { startAdminServer, type AdminServer } from '../admin/index.ts';
import { assertRedisReachable } from './redisCheck.ts';
import { mainTree, type SubtreeFactory } from './mainTree.ts';
import { Runtime } from './runtime.ts';
import { RuntimeResources } from './runtimeResources.ts';
import { withResolvedPorts } from './freePort.ts';
import type { OrdersRuntime } from './ordersRuntime.ts';
import { brokerReadiness } from './brokerReadiness.ts';
import { startMarketData } from './startMarketData.ts';
import type { TreeOutcome } from '../supervision/supervisionTree.ts';
import { checkRedisPersistence } from './continuity/redisPersistence.ts';
import type { Continuity } from './continuity/startContinuity.ts';
import { ActiveCapabilities } from './activeCapabilities.ts';
import { startOrderIntake } from './orderIntake.ts';
import { startHaltSwitch } from './startHaltSwitch.ts';
import { defaultNodeId, LEASE_ID, leaseChild, nodeRoleOf } from './leaseChild.ts';
import { Fence } from '../lease/fence.ts';
import { LeaseStore } from '../lease/leaseStore.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import type { LeaseContext } from '../machines/lease/leaseTypes.ts';
import type { NodeRoleView } from './runtimeView.ts';
import { historicalBarsThrough } from '../ib/session/historicalBars.ts';
import { IB_CONNECTION_ID } from './ibConnectionChild.ts';

export interface MainProcess {
  runtime: Runtime;
  admin: AdminServer;
  resources: RuntimeResources;
  /** The order service while this node is active; null on a standby. */
  readonly orders: OrdersRuntime | null;
  /** The Redis continuity guard and the halt switch while this node is active (throws on a standby). */
  readonly continuity: Continuity;
  /** The capabilities the lease starts and stops. */
  capabilities: ActiveCapabilities;
  /** The configuration as run, with any port 0 resolved. */
  config: Config;
  nodeId: string;
  role(): NodeRoleView;
  /** Settles once this node is active with its capabilities started. */
  whenActive(): Promise<void>;
  /** Settles when the tree ends on its own (root escalation). */
  outcome: Promise<TreeOutcome>;
  stop(): Promise<TreeOutcome>;
}

export interface MainProcessOptions {
  /**
   * Resolve only once this node is active (the default: a lone node takes the lease at once, or
   * within one TTL of a dead predecessor). `tradewire start` passes false: a standby is a node too.
   */
  waitForActive?: boolean;
}

const STANDBY_ROLE = (config: Config, nodeId: string): NodeRoleView => ({ role: 'standby', namespace: config.namespace, nodeId, token: null, activeNodeId: null });

/** Everything `tradewire start` runs, without the process-level concerns (signals, exit codes). */
export async function startMainProcess(requested: Config, logger: Logger, subtrees: SubtreeFactory[] = [], options: MainProcessOptions = {}): Promise<MainProcess> {
  logger.info('starting tradewire', { config: describeConfigForLog(requested) });
  await assertRedisReachable(requested.redis.url);
  const config = await withResolvedPorts(requested);
  const nodeId = config.lease.nodeId ?? defaultNodeId();
  const resources = new RuntimeResources(logger, config.redis.url, `tw:${config.namespace}:${nodeId}`);
  try {
    await checkRedisPersistence(resources.redis, logger, { brokerMode: config.broker.mode, allowVolatile: config.redis.allowVolatile ?? false, url: config.redis.url });
  } catch (error) {
    await resources.close();
    throw error;
  }
  const keys = namespaceKeys(config.namespace);
  resources.fence = new Fence(keys.fence);
  const marketData = startMarketData(config, resources);
  // Only infrastructure at first: the capabilities start under `active` when the lease is taken.
  const runtime = await Runtime.start({ config, logger, root: mainTree(config, resources) });
  marketData.attach(runtime);
  runtime.addReadinessCheck('broker', brokerReadiness(resources.ibSessions));
  const haltSwitch = await startHaltSwitch(config, resources, runtime);
  const capabilities = new ActiveCapabilities({
    config,
    resources,
    runtime,
    subtrees,
    logger,
    haltSwitch,
    // The lease machine steps down (stopping every part, releasing the lease) and takes it afresh.
    onFailed: (reason) => runtime.tree.get(LEASE_ID)?.send({ type: 'lease.lost', reason }),
  });
  const store = new LeaseStore(resources.redis, { lease: keys.lease, fence: keys.fence });
  const role = (): NodeRoleView => {
    const snapshot = runtime.tree.get(LEASE_ID)?.getSnapshot() as { context: LeaseContext; value: unknown } | undefined;
    return snapshot?.context ? nodeRoleOf(snapshot) : STANDBY_ROLE(config, nodeId);
  };
  runtime.nodeRoleSource = role;
  // Breaks and dead letters are cleared, replayed and purged through the admin API (never by the CLI in Redis).
  runtime.useOperatorRedis(resources.redis);
  runtime.historicalBars = historicalBarsThrough(() => resources.ibSessions.get(IB_CONNECTION_ID));
  runtime.metrics.observeState({
    active: () => role().role === 'active',
    haltCauses: () => [...resources.intakeHalt.causes.keys()],
  });
  const intake = startOrderIntake(config, runtime, resources.redis, logger);
  let admin: AdminServer;
  try {
    admin = await startAdminServer({
      view: runtime,
      host: config.admin.host,
      port: config.admin.port,
      ...(config.admin.token ? { token: config.admin.token } : {}),
      ...(config.admin.readToken ? { readToken: config.admin.readToken } : {}),
      logger,
    });
  } catch (error) {
    await intake.stop();
    await runtime.stop();
    await marketData.stop();
    await resources.close();
    throw error;
  }
  runtime.tree.startChild(
    runtime.tree.rootId,
    leaseChild({ config, nodeId, store, fence: resources.fence, capabilities, subscriber: () => resources.redis.duplicate(), metrics: runtime.metrics, haltCauses: () => haltSwitch.causes(), logger }),
  );
  logger.info(`node ${nodeId} in namespace ${config.namespace}: waiting for the lease`, { nodeId, namespace: config.namespace });

  const whenActive = () =>
    new Promise<void>((resolve) => {
      const check = () => (role().role === 'active' ? resolve() : setTimeout(check, 10).unref());
      check();
    });
  let stopping: Promise<TreeOutcome> | null = null;
  const main: MainProcess = {
    runtime,
    admin,
    resources,
    get orders() {
      return capabilities.current?.orders ?? null;
    },
    get continuity(): Continuity {
      const continuity = capabilities.current?.continuity;
      if (!continuity) throw new Error('this node is not active: the continuity guard runs only on the active node');
      return continuity;
    },
    capabilities,
    config,
    nodeId,
    role,
    whenActive,
    outcome: runtime.tree.outcome,
    stop() {
      stopping ??= (async () => {
        logger.info('stopping tradewire', { nodeId });
        // Hand over first: capabilities stop and the lease is released while the rest still runs.
        haltSwitch.stopFollowing();
        // Intake stays open to the end (jobs only go on the queue, for whichever node is active).
        await standDown(runtime, capabilities);
        const outcome = await runtime.stop();
        await marketData.stop();
        await admin.close();
        await intake.stop();
        await resources.close();
        logger.info('stopped', { outcome: outcome.kind });
        return outcome;
      })();
      return stopping;
    },
  };
  if (options.waitForActive ?? true) await whenActive();
  runtime.whenReady().then(() => logger.info('ready', { role: role().role, actors: runtime.actorTree().children.length }));
  return main;
}

/** Asks the lease actor to hand over and waits until it has (or it is gone). */
async function standDown(runtime: Runtime, capabilities: ActiveCapabilities): Promise<void> {
  const lease = runtime.tree.get(LEASE_ID);
  if (!lease) return capabilities.stop('stopping');
  lease.send({ type: 'lease.standDown' });
  for (;;) {
    const snapshot = runtime.tree.get(LEASE_ID)?.getSnapshot() as { value: unknown; status: string } | undefined;
    if (!snapshot || snapshot.status !== 'active' || snapshot.value === 'retired' || snapshot.value === 'stopped') break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await capabilities.stop('stopping');
}
