import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { EventBus } from '../supervision/eventBus.ts';
import type { Fill, OrderContext } from '../machines/orders/orderTypes.ts';
import { FillPublisher } from './fillPublisher.ts';
import { streamExecution, type FillStream, type FillStreamExecution } from './fillStream.ts';
import { fillJobId, publishFillsOutbox } from './fillsOutbox.ts';
import { jobRetentionOptions, type JobRetention } from './jobRetention.ts';
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
  /** The fills stream every consumer group reads in full; absent, fills go to the queue only. */
  stream?: FillStream;
  /** How long finished `fills` jobs are kept (default: jobRetentionOptions' defaults). */
  jobRetention?: JobRetention;
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
  /** Per order, the stream appends in progress: an order's executions enter the stream in order. */
  private readonly streamChains = new Map<string, Promise<unknown>>();
  /** Orders with executions the stream did not take: left in the outbox, for the next start to append. */
  private readonly unstreamed = new Set<string>();

  constructor(private readonly deps: FillAssemblyDeps) {
    this.fills = new Queue(FILLS_QUEUE_NAME, { connection: deps.connection, prefix: deps.prefix, defaultJobOptions: jobRetentionOptions(deps.jobRetention) });
    // Without a listener BullMQ prints raw stacks to stderr; a Redis outage is already reported by the store.
    this.fills.on('error', (error: Error) => deps.logger.debug('fills queue error', { error: error.message }));
    this.publisher = new FillPublisher(this.fills, deps.commissionWaitMs, deps.logger, (clientOrderId, filledQuantity) => this.markPublished(clientOrderId, filledQuantity));
    deps.router.onCommission = (execId, commission) => {
      void this.publisher.commission(execId, commission);
      this.streamCommission(execId, commission);
    };
    deps.router.onLateCommission = (clientOrderId, execId, commission) => {
      this.streamCommission(execId, commission, clientOrderId);
      // Usually it rides in its fill's job (published a moment after the order finished); only if no fill takes it is it published alone.
      this.publisher.unclaimed(execId, () => this.publishCommission(clientOrderId, execId, commission));
    };
  }

  /** Before any order actor runs again: what the last process stored but did not publish goes now. */
  async start(): Promise<void> {
    const { stream, positions } = this.deps;
    const republished = await publishFillsOutbox(this.deps.store, this.fills, stream ? { stream, monthOf: (symbol, expiry) => positions.monthOf(symbol, expiry) } : undefined);
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
        // Each execution with its own price; the TWAP parent's are its slices', streamed with them.
        this.stream(clientOrderId, added.map((e) => streamExecution({ clientOrderId, ...(parentId ? { parentClientOrderId: parentId } : {}), account: order.account, symbol: order.symbol, contractMonth: month, side: order.side }, e)));
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

  /**
   * Appends an order's executions after the ones before them (per order, in order). A failure is
   * left to the store's outbox: the order stays in it, and the next start appends what is missing.
   */
  private stream(clientOrderId: string, executions: FillStreamExecution[]): void {
    const stream = this.deps.stream;
    if (!stream) return;
    const next = (this.streamChains.get(clientOrderId) ?? Promise.resolve()).catch(() => {}).then(() => stream.appendExecutions(executions));
    this.streamChains.set(clientOrderId, next);
    void next
      .catch((error: Error) => {
        this.unstreamed.add(clientOrderId);
        this.deps.logger.error('fill not in the fills stream; it stays in the outbox for the next start', { orderId: clientOrderId, error: error.message });
      })
      .finally(() => {
        if (this.streamChains.get(clientOrderId) === next) this.streamChains.delete(clientOrderId);
      });
  }

  /**
   * The queue has the order's fills up to `filledQuantity`: the outbox lets go of them only once the
   * stream has them too (a slice's, with no queue job, wait in the outbox for the next start).
   */
  private async markPublished(clientOrderId: string, filledQuantity: number): Promise<void> {
    await this.streamChains.get(clientOrderId)?.catch(() => {});
    if (this.unstreamed.has(clientOrderId)) return;
    await this.deps.store.markPublished(clientOrderId, filledQuantity);
  }

  /** A commission for the stream: appended once per execId, and not at all when its fill entry carried it. */
  private streamCommission(execId: string, commission: number, clientOrderId?: string): void {
    this.deps.stream
      ?.appendCommission({ execId, ...(clientOrderId ? { clientOrderId } : {}), commission, time: new Date().toISOString() })
      .catch((error: Error) => this.deps.logger.error('commission not in the fills stream', { execId, error: error.message }));
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
    await withinMs(Promise.allSettled([...this.streamChains.values()]), 2_000);
    this.publisher.close();
    this.deps.stream?.close();
    await this.fills.close();
  }
}
