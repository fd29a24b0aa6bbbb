import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/logger.ts';
import type { Fence } from '../../lease/fence.ts';
import type { QuoteSource } from '../../machines/orders/algorithms/quotes.ts';
import type { IbConnectionContext } from '../../machines/ib/ibConnectionTypes.ts';
import { liveTradingRefusal } from '../../ib/accountKind.ts';
import { DemoStrategy } from '../../orders/demoStrategy.ts';
import type { IntakeHalt } from '../../orders/intakeHalt.ts';
import { ORDER_QUEUE_NAME } from '../../orders/schema/index.ts';
import { OrderService } from '../../orders/orderService.ts';
import { FILLS_QUEUE_NAME } from '../../orders/fillAssembly.ts';
import { ORDERS_SUPERVISOR_ID } from '../../orders/orderActorIds.ts';
import { OrderAuditor } from '../../orders/orderAuditor.ts';
import { orderInjectionAudit } from '../../orders/orderInjectionAudit.ts';
import { OrderFaultHooks } from '../../orders/orderFaultHooks.ts';
import { warnOfLegacyJobs } from '../../queues/legacyJobs.ts';
import type { NamespaceKeys } from '../../redis/namespaceKeys.ts';
import type { ChildSpec } from '../../supervision/childSpec.ts';
import type { SupervisionTree } from '../../supervision/supervisionTree.ts';
import { supervisor } from '../../supervision/supervisorLogic.ts';
import { IB_CONNECTION_ID } from './ibConnectionChild.ts';
import type { OrdersView } from '../runtime.ts';
import type { InjectionAudit } from '../../admin/runtimeView.ts';
import type { BrokerSessions } from './broker.ts';
import type { Capability } from './capability.ts';
import type { ContractResolver } from '../../contracts/index.ts';
import type { OrderMetrics } from '../../orders/orderMetrics.ts';

export interface OrdersCapabilityDeps {
  config: Config;
  tree: SupervisionTree;
  redis: Redis;
  /** Names the service's own connections like the node's (CLIENT LIST shows which node is which). */
  redisConnectionName: string;
  keys: NamespaceKeys;
  /** Order intake's halt (the continuity guard or an operator). */
  intakeHalt: IntakeHalt;
  /** This node's lease token and send deadline. */
  fence: Fence;
  /** Consolidated prices for order collars and chasing. */
  quotes: QuoteSource;
  broker: BrokerSessions;
  /** Orders without an expiry go to this resolver's month; positions are keyed by contract month through it. */
  contracts?: ContractResolver;
  /** Handed the running service: it recovers after a Redis state loss, and knows the orders. */
  continuity: { attachOrders(service: OrderService): void };
  /** The runtime's order metrics (outcomes, refusals, latencies, commissions). */
  metrics?: OrderMetrics;
  logger: Logger;
}

interface Running {
  service: OrderService;
  /** Events injected into order actors go into the audit trail, with the request id, before delivery. */
  injectionAudit: InjectionAudit;
  faultHooks: OrderFaultHooks | undefined;
  demo: DemoStrategy | null;
}

/**
 * The order service (the `orders` queue's worker, recovery, fills) with its supervisor, one order
 * actor per order added at run time; and the demo strategy when configured. Thin on purpose: it
 * builds and wires the orders objects and nothing else.
 */
export class OrdersCapability implements Capability, OrdersView {
  readonly name = 'orders';
  private running: Running | null = null;

  constructor(private readonly deps: OrdersCapabilityDeps) {}

  /** The order service while it runs; null otherwise. */
  get service(): OrderService | null {
    return this.running?.service ?? null;
  }

  injectionAudit(): InjectionAudit | null {
    return this.running?.injectionAudit ?? null;
  }

  faultHooks(): OrderFaultHooks | undefined {
    return this.running?.faultHooks;
  }

  /** The supervisor order actors are started under (null with orders off). */
  childSpec(): ChildSpec | null {
    if (!this.deps.config.orders.enabled) return null;
    return {
      ...supervisor(ORDERS_SUPERVISOR_ID, { strategy: 'one_for_one', intensity: 1_000, periodMs: 60_000, children: [] }),
      details: () => this.running?.service.status() ?? {},
    };
  }

  async start(): Promise<void> {
    const { config, tree, redis, keys, logger } = this.deps;
    const session = this.deps.broker.session(IB_CONNECTION_ID);
    if (!config.orders.enabled || !session || !tree.get(ORDERS_SUPERVISOR_ID)) return;
    const faultHooks = config.testing.faultHooks ? new OrderFaultHooks() : undefined;
    const ibContext = () => (tree.get(IB_CONNECTION_ID)?.getSnapshot() as { context?: IbConnectionContext } | undefined)?.context;
    const service = new OrderService({
      ...(this.deps.metrics ? { metrics: this.deps.metrics } : {}),
      // Spread, not a plain property: the service takes it only while testing.faultHooks is on.
      ...(faultHooks ? { faultHooks } : {}),
      tree,
      session,
      redis,
      redisUrl: config.redis.url,
      logger,
      halt: this.deps.intakeHalt,
      limits: {
        maxOrderSize: config.orders.maxOrderSize,
        positionLimit: config.orders.positionLimit,
        positionLimitPerMonth: { ...config.orders.positionLimit, ...config.orders.positionLimitPerMonth },
        nonPositivePrices: config.orders.nonPositivePrices,
        ...(config.orders.priceCollar.enabled ? { priceCollar: config.orders.priceCollar } : {}),
      },
      quotes: this.deps.quotes,
      tickSizes: config.orders.tickSizes,
      ...(config.orders.whatIfMarginCheck.enabled ? { marginCheck: { maxInitMarginChange: config.orders.whatIfMarginCheck.maxInitMarginChange } } : {}),
      prefix: keys.bullPrefix,
      storePrefix: keys.ordersPrefix,
      auditKey: keys.auditStream(config.audit.streamKey),
      timing: { ackTimeoutMs: config.orders.ackTimeoutMs, cancelTimeoutMs: config.orders.cancelTimeoutMs },
      queueLockMs: config.orders.queueLockMs,
      fillStream: { key: keys.fillStream, markerKey: keys.fillStreamMarker, ...config.orders.fillStream },
      jobRetention: config.orders.jobRetention,
      fence: this.deps.fence,
      redisConnectionName: this.deps.redisConnectionName,
      ...(this.deps.contracts ? { contracts: this.deps.contracts } : {}),
      accountRefusal: () => liveTradingRefusal(ibContext()?.accounts ?? [], config.broker.allowLive),
      connectionInfo: () => {
        const context = ibContext();
        const gateway = context?.gateways[context.gatewayIndex];
        return { clientId: context?.clientIds[context.clientIdIndex] ?? 0, gateway: gateway ? `${gateway.host}:${gateway.port}` : 'unknown' };
      },
    });
    await service.start();
    this.running = { service, injectionAudit: orderInjectionAudit(tree, new OrderAuditor(service.audit, logger)), faultHooks, demo: null };
    if (config.testing.brokerEventInjection) {
      logger.warn('testing broker-event injection is on: broker.* events may be injected into order actors, each audited as injected', { flag: 'testing.brokerEventInjection' });
    }
    if (faultHooks) {
      logger.warn('testing fault hooks are on: POST /testing/orders/:clientOrderId/crash crashes order actors', { flag: 'testing.faultHooks' });
    }
    await warnOfLegacyJobs(redis, logger, keys, [ORDER_QUEUE_NAME, FILLS_QUEUE_NAME]);
    const demo = config.orders.demo.enabled
      ? new DemoStrategy({ redis, quotes: this.deps.quotes, logger, account: config.orders.demo.account, intervalMs: config.orders.demo.intervalMs, prefix: keys.bullPrefix })
      : null;
    demo?.start();
    this.running.demo = demo;
    this.deps.continuity.attachOrders(service);
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    await running.demo?.stop();
    await running.service.stop();
  }
}
