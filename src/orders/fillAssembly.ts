import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { EventBus } from '../supervision/eventBus.ts';
import type { Fill, OrderContext } from '../machines/orders/orderTypes.ts';
import { FillPublisher } from './fillPublisher.ts';
import { fillJobId, publishFillsOutbox } from './fillsOutbox.ts';
import { newExecutions } from './newExecutions.ts';
import type { OrderRouter } from './orderRouter.ts';
import type { OrderStore } from './orderStore.ts';
import type { PositionBook } from './positionBook.ts';
import { withinMs } from './withinMs.ts';

export const FILLS_QUEUE_NAME = 'fills';

export interface FillAssemblyDeps {
  /** The auto-pipelined connection the order's transition writes use; the fills queue shares it. */
  connection: Redis;
  /** BullMQ key prefix (namespaceKeys().bullPrefix). */
  prefix: string;
  store: OrderStore;
  positions: PositionBook;
  router: OrderRouter;
  bus: EventBus;
  logger: Logger;
  /** How long a fill waits for its executions' commissions before it is published without them. */
  commissionWaitMs: number;
}

/**
 * Fills are worked out here, once: each written transition's filled quantity is compared with what
 * was already published, and the new executions become one fill (to the `fills` queue, with their
 * commissions, and to the event bus) and move the position book.
 */
export class FillAssembly {
  private readonly fills: Queue;
  private readonly publisher: FillPublisher;
  /** Per live order, the filled quantity already published. */
  private readonly filledSoFar = new Map<string, number>();

  constructor(private readonly deps: FillAssemblyDeps) {
    this.fills = new Queue(FILLS_QUEUE_NAME, { connection: deps.connection, prefix: deps.prefix });
    // Without a listener BullMQ prints raw stacks to stderr; a Redis outage is already reported by the store.
    this.fills.on('error', (error: Error) => deps.logger.debug('fills queue error', { error: error.message }));
    this.publisher = new FillPublisher(this.fills, deps.commissionWaitMs, deps.logger, (clientOrderId, filledQuantity) => deps.store.markPublished(clientOrderId, filledQuantity));
    deps.router.onCommission = (execId, commission) => void this.publisher.commission(execId, commission);
    deps.router.onLateCommission = (clientOrderId, execId, commission) => {
      // Usually it rides in its fill's job (published a moment after the order finished); only if no fill takes it is it published alone.
      this.publisher.unclaimed(execId, () => this.publishCommission(clientOrderId, execId, commission));
    };
  }

  /** Before any order actor runs again: what the last process stored but did not publish goes now. */
  async start(): Promise<void> {
    const republished = await publishFillsOutbox(this.deps.store, this.fills);
    if (republished > 0) this.deps.logger.warn('fills stored before a crash but not published were published now', { orders: republished });
  }

  /** An order started from its durable state: what it had filled was published (or is in the store's outbox). */
  resumeFrom(clientOrderId: string, filledQuantity: number): void {
    // A supervised restart keeps what was already published; a process restart starts from the store.
    if (!this.filledSoFar.has(clientOrderId)) this.filledSoFar.set(clientOrderId, filledQuantity);
  }

  /** One written transition: returns the executions it added (a TWAP slice's go to its parent). */
  transitioned(clientOrderId: string, context: OrderContext, finished: boolean): Fill[] {
    const before = this.filledSoFar.get(clientOrderId) ?? 0;
    const { order } = context;
    const parentId = order.parentId;
    const isParent = order.algorithm?.kind === 'twap';
    let addedFills: Fill[] = [];
    if (context.filledQuantity > before) {
      const quantity = context.filledQuantity - before;
      this.filledSoFar.set(clientOrderId, context.filledQuantity);
      const added = newExecutions(context.fills, before);
      addedFills = added.map((e) => e.fill);
      // Positions move with executions, which belong to the slices, not to the TWAP parent that sums them.
      if (!isParent) {
        const month = this.deps.positions.monthOf(order.symbol, order.expiry);
        for (const e of added) this.deps.positions.applyExecution(order.account, order.symbol, month, order.side, e.fill.execId, e.quantity);
      }
      // The executions behind this publication, so consumers (the regulatory monitor) count each
      // once even when a TWAP parent and its slice both publish it.
      const executions = added.map((e) => ({ execId: e.fill.execId, quantity: e.quantity }));
      const fill = {
        clientOrderId,
        ...(parentId ? { parentClientOrderId: parentId } : {}),
        account: order.account,
        symbol: order.symbol,
        ...(order.expiry ? { expiry: order.expiry } : {}),
        executions,
        side: order.side,
        quantity,
        filledQuantity: context.filledQuantity,
        averagePrice: context.averagePrice,
        /** The order's commissions known so far (the queue's fill job carries this fill's own, see FillPublisher). */
        commissionSoFar: context.commission,
        at: new Date().toISOString(),
      };
      // A strategy sees the order it sent: a TWAP's fills arrive as the parent's, the slices' only on the bus.
      if (!parentId) {
        const { commissionSoFar: _soFar, ...queued } = fill;
        this.publisher.publish(fillJobId(clientOrderId, context.filledQuantity), queued, executions.map((e) => e.execId));
      }
      this.deps.bus.publish('order.fill', fill);
    }
    // What may still fill (a confirmed modify changes the quantity); a TWAP parent's part is its unissued slices.
    if (!isParent) this.deps.positions.updateWorking(clientOrderId, order.quantity - context.filledQuantity);
    if (finished) {
      this.deps.positions.release(clientOrderId);
      this.filledSoFar.delete(clientOrderId);
    }
    return addedFills;
  }

  private publishCommission(clientOrderId: string, execId: string, commission: number): void {
    // A TWAP slice's commission is the parent's cost: say whose it is, since slices' fills are not published.
    this.deps.store
      .load(clientOrderId)
      .then((stored) => {
        const parent = stored?.spec.parentId ? { parentClientOrderId: stored.spec.parentId } : {};
        return this.fills.add('commission', { clientOrderId, ...parent, execId, commission, at: new Date().toISOString() }, { jobId: `commission.${Buffer.from(execId).toString('base64url')}` });
      })
      .catch((error: Error) => this.deps.logger.error('commission not published', { orderId: clientOrderId, error: error.message }));
  }

  async stop(): Promise<void> {
    this.publisher.flush();
    // Publications still retrying stay in the store's outbox: the next start publishes them.
    await withinMs(this.publisher.idle(), 2_000);
    this.publisher.close();
    await this.fills.close();
  }
}
