import type { Config } from '../config/index.ts';
import { DemoStrategy } from '../orders/demoStrategy.ts';
import { ORDER_QUEUE_NAME } from '../orders/schema/index.ts';
import { OrderService } from '../orders/orderService.ts';
import { OrderAuditor } from '../orders/orderAuditor.ts';
import { orderInjectionAudit } from '../orders/orderInjectionAudit.ts';
import { OrderFaultHooks } from '../orders/orderFaultHooks.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import { FILLS_QUEUE_NAME } from '../orders/fillAssembly.ts';
import { ORDERS_SUPERVISOR_ID } from '../orders/orderActorIds.ts';
import { IB_CONNECTION_ID } from './ibConnectionChild.ts';
import type { Runtime } from './runtime.ts';
import type { RuntimeView } from './runtimeView.ts';
import type { RuntimeResources } from './runtimeResources.ts';
import type { IbConnectionContext } from '../machines/ib/ibConnectionTypes.ts';
import { liveTradingRefusal } from '../ib/accountKind.ts';
import { namespaceKeys } from '../redis/namespaceKeys.ts';
import { warnOfLegacyJobs } from '../queues/legacyJobs.ts';

/** The supervisor order actors are started under, one child per order (added at run time). */
export function ordersSubtree(config: Config, resources?: RuntimeResources): ChildSpec | null {
  if (!config.orders.enabled) return null;
  return {
    ...supervisor(ORDERS_SUPERVISOR_ID, { strategy: 'one_for_one', intensity: 1_000, periodMs: 60_000, children: [] }),
    details: () => resources?.ordersStatus?.() ?? {},
  };
}

export interface OrdersRuntime {
  service: OrderService;
  stop(): Promise<void>;
}

/** Starts order intake (and the demo strategy when configured) once the tree is up. */
export async function startOrders(config: Config, runtime: Runtime, resources: RuntimeResources): Promise<OrdersRuntime | null> {
  const session = resources.ibSessions.get(IB_CONNECTION_ID);
  if (!config.orders.enabled || !session || !runtime.tree.get(ORDERS_SUPERVISOR_ID)) return null;
  const faultHooks = config.testing.faultHooks ? new OrderFaultHooks() : undefined;
  const keys = namespaceKeys(config.namespace);
  const service = new OrderService({
    // Spread, not a plain property: the service takes it only while testing.faultHooks is on.
    ...(faultHooks ? { faultHooks } : {}),
    tree: runtime.tree,
    session,
    redis: resources.redis,
    redisUrl: config.redis.url,
    logger: resources.logger,
    halt: resources.intakeHalt,
    limits: {
      maxOrderSize: config.orders.maxOrderSize,
      positionLimit: config.orders.positionLimit,
      positionLimitPerMonth: { ...config.orders.positionLimit, ...config.orders.positionLimitPerMonth },
      nonPositivePrices: config.orders.nonPositivePrices,
      ...(config.orders.priceCollar.enabled ? { priceCollar: config.orders.priceCollar } : {}),
    },
    quotes: resources.quotes,
    tickSizes: config.orders.tickSizes,
    ...(config.orders.whatIfMarginCheck.enabled ? { marginCheck: { maxInitMarginChange: config.orders.whatIfMarginCheck.maxInitMarginChange } } : {}),
    prefix: keys.bullPrefix,
    storePrefix: keys.ordersPrefix,
    auditKey: keys.auditStream(config.audit.streamKey),
    timing: { ackTimeoutMs: config.orders.ackTimeoutMs, cancelTimeoutMs: config.orders.cancelTimeoutMs },
    queueLockMs: config.orders.queueLockMs,
    fence: resources.fence,
    ...(resources.redisConnectionName ? { redisConnectionName: resources.redisConnectionName } : {}),
    accountRefusal: () => {
      const context = (runtime.tree.get(IB_CONNECTION_ID)?.getSnapshot() as { context?: IbConnectionContext } | undefined)?.context;
      return liveTradingRefusal(context?.accounts ?? [], config.broker.allowLive);
    },
    connectionInfo: () => {
      const context = (runtime.tree.get(IB_CONNECTION_ID)?.getSnapshot() as { context?: IbConnectionContext } | undefined)?.context;
      const gateway = context?.gateways[context.gatewayIndex];
      return { clientId: context?.clientIds[context.clientIdIndex] ?? 0, gateway: gateway ? `${gateway.host}:${gateway.port}` : 'unknown' };
    },
  });
  await service.start();
  resources.ordersStatus = () => service.status();
  // Events injected into order actors go into the audit trail, with the request id, before delivery.
  runtime.injectionAudit = orderInjectionAudit(runtime.tree, new OrderAuditor(service.audit, resources.logger));
  if (config.testing.brokerEventInjection) {
    resources.logger.warn('testing broker-event injection is on: broker.* events may be injected into order actors, each audited as injected', { flag: 'testing.brokerEventInjection' });
  }
  const view: RuntimeView = runtime;
  if (faultHooks) {
    view.orderFaultHooks = faultHooks;
    resources.logger.warn('testing fault hooks are on: POST /testing/orders/:clientOrderId/crash crashes order actors', { flag: 'testing.faultHooks' });
  }
  await warnOfLegacyJobs(resources.redis, resources.logger, keys, [ORDER_QUEUE_NAME, FILLS_QUEUE_NAME]);
  const demo = config.orders.demo.enabled
    ? new DemoStrategy({ redis: resources.redis, quotes: resources.quotes, logger: resources.logger, account: config.orders.demo.account, intervalMs: config.orders.demo.intervalMs, prefix: keys.bullPrefix })
    : null;
  demo?.start();
  return {
    service,
    async stop() {
      runtime.injectionAudit = null;
      delete view.orderFaultHooks;
      await demo?.stop();
      await service.stop();
    },
  };
}
