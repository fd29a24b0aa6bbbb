import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { OrderReadsView } from '../admin/runtimeView.ts';
import { OrderAuditTrail } from '../audit/index.ts';
import type { ContractResolver } from '../contracts/index.ts';
import { FillStreamReads } from '../orders/fillStreamReads.ts';
import { OrderQueries } from '../orders/orderQueries.ts';
import { OrderStore } from '../orders/orderStore.ts';
import type { OrderSummary } from '../orders/orderSummary.ts';
import { QueuedOrders } from '../orders/queuedOrders.ts';
import { ORDER_QUEUE_NAME } from '../orders/schema/index.ts';
import type { NamespaceKeys } from '../redis/namespaceKeys.ts';

export interface OrderReadsDeps {
  config: Config;
  /** The node's connection: reads only, nothing here writes. */
  redis: Redis;
  keys: NamespaceKeys;
  /** Names an expiry's month the way positions do (a last trade date the calendar or a listing explains). */
  contracts?: Pick<ContractResolver, 'knownContractMonthOf'>;
  logger: Logger;
}

/**
 * The namespace's orders and fills as the admin API reads them, on every node: the order store,
 * the `orders` queue (new orders not stored yet), the audit trail and the fills stream, all in
 * Redis, so a standby answers as well as the active node.
 */
export class OrderReads implements OrderReadsView {
  private readonly queue: Queue;
  private readonly queries: OrderQueries;
  private readonly fillReads: FillStreamReads;

  constructor({ config, redis, keys, contracts, logger }: OrderReadsDeps) {
    // Lookups only (getJob): no meta writes, so reading never creates the queue's keys.
    this.queue = new Queue(ORDER_QUEUE_NAME, { connection: redis, prefix: keys.bullPrefix, skipMetasUpdate: true });
    this.queue.on('error', (error: Error) => logger.debug('orders lookup queue error', { error: error.message }));
    this.fillReads = new FillStreamReads(redis, { key: keys.fillStream, markerKey: keys.fillStreamMarker });
    this.queries = new OrderQueries({
      store: new OrderStore(redis, keys.ordersPrefix),
      trail: new OrderAuditTrail(redis, { key: keys.auditStream(config.audit.streamKey) }),
      fills: this.fillReads,
      queued: new QueuedOrders(this.queue),
      ...(contracts ? { knownMonth: (symbol: string, expiry: string | undefined) => contracts.knownContractMonthOf(symbol, expiry) } : {}),
    });
  }

  listOrders: OrderReadsView['listOrders'] = (query) => this.queries.list(query);

  order: OrderReadsView['order'] = (clientOrderId) => this.queries.detail(clientOrderId);

  fills: OrderReadsView['fills'] = (since, limit) => this.fillReads.page(since, limit);

  /** The order as the API lists it, stored or still queued; null when nobody knows the clientOrderId. */
  summary(clientOrderId: string): Promise<OrderSummary | null> {
    return this.queries.summary(clientOrderId);
  }

  async stop(): Promise<void> {
    await this.queue.close();
  }
}
