import { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import { configSummary, describeConfigForLog } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import { startAdminServer, type AdminServer } from '../admin/index.ts';
import { assertRedisReachable } from './redisCheck.ts';
import { mainTree } from './mainTree.ts';
import { Runtime } from './runtime.ts';
import { NodeTree } from './nodeTree.ts';
import { withResolvedPorts } from './freePort.ts';
import { startMarketDataEngine } from './marketDataEngine.ts';
import type { TreeOutcome } from '../supervision/supervisionTree.ts';
import { checkRedisPersistence } from './continuity/redisPersistence.ts';
import type { ContinuityGuard } from './continuity/continuityGuard.ts';
import { ActiveCapabilities } from './activeCapabilities.ts';
import { OrderIntake } from './orderIntake.ts';
import { OrderReads } from './orderReads.ts';
import { PositionReads } from './positionReads.ts';
import { pricesOf } from './priceReads.ts';
import { IB_CONNECTION_ID } from './capabilities/ibConnectionChild.ts';
import { startHaltSwitch } from './startHaltSwitch.ts';
import type { HaltSwitch } from './haltSwitch.ts';
import { defaultNodeId, LEASE_ID, leaseChild } from './leaseChild.ts';
import { Fence } from '../lease/fence.ts';
import { LeaseStore } from '../lease/leaseStore.ts';
import { IntakeHalt } from '../orders/intakeHalt.ts';
import type { OrderService } from '../orders/orderService.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import type { NodeRoleView } from '../admin/runtimeView.ts';
import type { Capability } from './capabilities/capability.ts';
import { BrokerCapability } from './capabilities/broker.ts';
import { contractResolution } from './capabilities/contractResolution.ts';
import { MarketDataCapability } from './capabilities/marketData.ts';
import { ContinuityCapability } from './capabilities/continuity.ts';
import { OrdersCapability } from './capabilities/orders.ts';
import { RegulatoryCapability } from './capabilities/regulatory.ts';
import { ReportsCapability } from './capabilities/reports.ts';
import { reportEngines } from './capabilities/reportEngines.ts';
import { EventsCapability } from './capabilities/events.ts';
import { EventFeed, RedisEventStream } from '../events/index.ts';
import { publishIntakeHalts } from './intakeHaltTopic.ts';
import { publishConnectionHealth } from './connectionHealthTopic.ts';
import { ConnectionReads } from './connectionReads.ts';
import { HaltState } from './haltState.ts';
import { DeadLetterReads } from './deadLetterReads.ts';
import { ReportReads } from './reportReads.ts';
import { RejectTally } from './rejectTally.ts';
import { positionLimits } from './positionLimits.ts';
import { FILLS_QUEUE_NAME } from '../orders/fillAssembly.ts';
import { REPORTS_QUEUE_NAME } from '../regulatory/pipeline/reportJob.ts';
import { registerQueueMetrics } from './queueMetrics.ts';
import { startTracing, type TracingHandle } from '../tracing/index.ts';

/** The capabilities a node may run under the lease, in start order (the continuity guard always runs). */
export const CAPABILITIES = ['broker', 'marketData', 'orders', 'regulatory', 'reports'] as const;
export type CapabilityName = (typeof CAPABILITIES)[number];

export interface MainProcess {
  runtime: Runtime;
  admin: AdminServer;
  /** The broker capability: its IB sessions (and connection pool) of the current start. */
  broker: BrokerCapability;
  /** The order service while this node is active; null on a standby. */
  readonly orders: { service: OrderService } | null;
  /** The Redis continuity guard and the halt switch while this node is active (throws on a standby). */
  readonly continuity: { guard: ContinuityGuard; haltSwitch: HaltSwitch };
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
  /** The capabilities to run under the lease (tests run a few); every one by default. */
  capabilities?: readonly CapabilityName[];
  /** Where the OpenTelemetry variables are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Everything `tradewire start` runs, without the process-level concerns (signals, exit codes). */
export async function startMainProcess(requested: Config, logger: Logger, options: MainProcessOptions = {}): Promise<MainProcess> {
  logger.info('starting tradewire', configSummary(requested));
  logger.debug('configuration', { config: describeConfigForLog(requested) });
  // First: a tracing variable set wrongly refuses the start before anything runs, and every part started after it is traced.
  const tracing = await startTracing(options.env ?? process.env, logger);
  try {
    return await startNode(requested, logger, options, tracing);
  } catch (error) {
    await tracing.stop();
    throw error;
  }
}

async function startNode(requested: Config, logger: Logger, options: MainProcessOptions, tracing: TracingHandle): Promise<MainProcess> {
  await assertRedisReachable(requested.redis.url);
  const config = await withResolvedPorts(requested);
  const nodeId = config.lease.nodeId ?? defaultNodeId();
  // Services first. Every connection this node opens is named for it (CLIENT LIST shows which node is which).
  const redisConnectionName = `tw:${config.namespace}:${nodeId}`;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, connectionName: redisConnectionName });
  redis.on('error', (error: Error) => logger.debug('redis client error', { error: error.message }));
  const closeRedis = () => redis.quit().then(() => undefined, () => redis.disconnect());
  try {
    await checkRedisPersistence(redis, logger, { brokerMode: config.broker.mode, allowVolatile: config.redis.allowVolatile ?? false, url: config.redis.url });
  } catch (error) {
    await closeRedis();
    throw error;
  }
  const keys = namespaceKeys(config.namespace);
  const fence = new Fence(keys.fence);
  const intakeHalt = new IntakeHalt();
  // Before anything can halt, so every cause is seen with who set it and when.
  const haltState = new HaltState(intakeHalt);
  // The bus, the dead letters, the metrics registry and the tree, with infrastructure only: the
  // capabilities start under `active` when the lease is taken.
  const node = await NodeTree.start({ config, logger, root: mainTree(config) });
  // Changes that have no bus topic of their own get one, for live events and any other subscriber.
  publishIntakeHalts(intakeHalt, node.tree.services.bus);
  publishConnectionHealth(node);
  const marketData = startMarketDataEngine(config, node, redis, keys, logger);
  const { haltSwitch, trail } = await startHaltSwitch(config, { redis, intakeHalt, logger }, node);

  // Then the capabilities, each given what it depends on.
  const { tree } = node;
  const metricsRegistry = node.metrics.registry;
  const selected = new Set<CapabilityName>(options.capabilities ?? CAPABILITIES);
  const broker = new BrokerCapability({ config, redis, keys, fence, logger });
  node.addReadinessCheck('broker', broker.readiness);
  // Watches each connection from its first start (the lease starts the broker later).
  const connections = new ConnectionReads({ node, broker, config });
  // One contract-month resolver: subscriptions, rolls, orders without an expiry and the position books agree on every month.
  const contracts = contractResolution({ config, redis, broker, logger }).resolver;
  // Orders and fills are read from Redis on every node; positions and prices from the active node's memory.
  const reads = new OrderReads({ config, redis, keys, contracts, logger });
  // Intake stays open to the end, on every node: jobs only go on the queue, for whichever node is active.
  const intake = new OrderIntake(config, redis, keys, logger, reads);
  const continuity = new ContinuityCapability({ config, redis, keys, intakeHalt, haltSwitch, broker, logger });
  const orders = new OrdersCapability({ config, tree, redis, redisConnectionName, keys, intakeHalt, fence, quotes: marketData.quotes, broker, continuity, contracts, metrics: node.metrics.orders, logger });
  const reports = new ReportsCapability({ config, tree, metricsRegistry, redis, engines: () => reportEngines(config, redis), logger });
  const regulatory = new RegulatoryCapability({ config, tree, metricsRegistry, readiness: node, redis, broker, contracts, reports: selected.has('reports') ? reports : null, logger });
  const events = new EventsCapability({ config, redis, keys, fence, bus: tree.services.bus, logger });
  const marketDataSources = new MarketDataCapability({ config, service: marketData.service, broker, contracts, publish: (topic, payload) => tree.services.bus.publish(topic, payload), logger });
  // In start order. Live events and the continuity guard always run: events first, to hear what the
  // others announce as they start; the guard before orders, so a store found lost at start halts
  // intake before any job is taken.
  const inOrder: [CapabilityName | 'continuity' | 'events', Capability][] = [
    ['events', events],
    ['broker', broker],
    ['marketData', marketDataSources],
    ['continuity', continuity],
    ['orders', orders],
    ['regulatory', regulatory],
    ['reports', reports],
  ];
  const capabilities = new ActiveCapabilities({
    config,
    node,
    fence,
    capabilities: inOrder.filter(([name]) => name === 'continuity' || name === 'events' || selected.has(name)).map(([, capability]) => capability),
    logger,
    haltSwitch,
    // The lease machine steps down (stopping every part, releasing the lease) and takes it afresh.
    onFailed: (reason) => tree.get(LEASE_ID)?.send({ type: 'lease.lost', reason }),
  });
  const store = new LeaseStore(redis, { lease: keys.lease, fence: keys.fence });
  // Every node serves the namespace's live events from Redis, whoever appends them.
  const liveEvents = new EventFeed(new RedisEventStream(redis, keys.eventStream), { logger });
  // What the admin API sees. Breaks and dead letters are cleared, replayed and purged through it (never by the CLI in Redis).
  const positions = new PositionReads({ service: () => orders.service, session: () => broker.session(IB_CONNECTION_ID), redis, breaksKey: keys.orderBreaks });
  const withLimits = positionLimits(config, logger);
  const rejects = new RejectTally(marketData.service.engine);
  const queueReads = new DeadLetterReads({ redis, prefix: keys.bullPrefix, deadLetterQueues: Runtime.DEAD_LETTER_QUEUES, otherQueues: [FILLS_QUEUE_NAME], logger });
  registerQueueMetrics(metricsRegistry, () => queueReads.depths());
  const reportReads = new ReportReads({ config, tree, queue: queueReads.source(REPORTS_QUEUE_NAME)!, deadLetters: (limit) => queueReads.records(REPORTS_QUEUE_NAME, limit) });
  const closeReads = async () => {
    rejects.stop();
    await queueReads.close();
  };
  const runtime = new Runtime(node, {
    config,
    logger,
    intake,
    nodeId,
    orders,
    haltSwitch,
    adminAudit: trail,
    operatorRedis: redis,
    broker,
    contracts,
    orderReads: reads,
    positions: async () => {
      const view = await positions.read();
      return view && withLimits(view);
    },
    prices: () => {
      const { prices } = pricesOf(marketData.service.engine, contracts, Date.now());
      return { prices: prices.map((row) => ({ ...row, rejects: rejects.of(row.symbol) })) };
    },
    liveEvents: { feed: liveEvents, keepaliveMs: config.events.keepaliveMs },
    connections: () => connections.read(),
    haltState: () => haltState.read(),
    queueReads,
    reports: () => reportReads.read(),
  });
  const role = (): NodeRoleView => runtime.nodeRole();
  node.metrics.observeState({
    active: () => role().role === 'active',
    fencingToken: () => fence.token,
    haltCauses: () => [...intakeHalt.causes.keys()],
  });
  let admin: AdminServer;
  try {
    admin = await startAdminServer({
      view: runtime,
      host: config.admin.host,
      port: config.admin.port,
      ...(config.admin.token ? { token: config.admin.token } : {}),
      ...(config.admin.readToken ? { readToken: config.admin.readToken } : {}),
      session: config.admin.session,
      logger,
    });
  } catch (error) {
    await closeReads();
    await liveEvents.close();
    await intake.stop();
    await reads.stop();
    await runtime.stop();
    await marketData.service.stop();
    await closeRedis();
    throw error;
  }
  runtime.tree.startChild(
    runtime.tree.rootId,
    leaseChild({ config, nodeId, store, fence, capabilities, subscriber: () => redis.duplicate(), metrics: node.metrics, haltCauses: () => haltSwitch.causes(), logger }),
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
    broker,
    get orders() {
      const service = orders.service;
      return service ? { service } : null;
    },
    get continuity() {
      const guard = continuity.guard;
      if (!guard) throw new Error('this node is not active: the continuity guard runs only on the active node');
      return { guard, haltSwitch };
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
        await marketData.service.stop();
        // The admin server's close ends open event streams; then the tail reader goes.
        await admin.close();
        await closeReads();
        await liveEvents.close();
        await intake.stop();
        await reads.stop();
        await closeRedis();
        // Last, so the spans of everything that stopped before are sent.
        await tracing.stop();
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
