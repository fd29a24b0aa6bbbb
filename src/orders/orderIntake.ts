import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { FencedError, type Fence } from '../lease/fence.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { OrderSpec } from '../machines/orders/orderTypes.ts';
import { attachDeadLettering, DeadLetterQueue, InvalidPayloadError, type DeadLettering } from '../queues/index.ts';
import { jobRetentionOptions, type JobRetention } from './jobRetention.ts';
import { ORDER_QUEUE_NAME, parseOrderJob, type NewOrder, type OrderJob } from './schema/index.ts';
import { sendToOrder } from './orderActorIds.ts';
import type { ClientIdOwners } from './clientIdOwners.ts';
import type { LiveOrders } from './liveOrders.ts';
import type { OrderAuditor } from './orderAuditor.ts';
import type { OrderStore } from './orderStore.ts';
import { withinMs } from './withinMs.ts';
import type { PositionBook } from './positionBook.ts';
import { describePolicy, type ContractPolicy } from '../contracts/index.ts';
import type { OrderMeter } from './orderMetrics.ts';
import { orderTracing } from '../tracing/index.ts';

export type IntakeResult = { outcome: 'accepted' | 'duplicate' | 'cancelRequested' | 'modifyRequested' | 'unknownOrder' | 'foreignClientOrder'; clientOrderId: string };

export interface OrderIntakeDeps {
  meter: OrderMeter;
  tree: SupervisionTree;
  store: OrderStore;
  live: LiveOrders;
  owners: ClientIdOwners;
  auditor: OrderAuditor;
  logger: Logger;
  /** A new blocking connection for the Worker (BullMQ's BZPOPMIN needs its own). */
  connectJobPolling: () => Redis;
  /** The shared connection the dead-letter queue writes on. */
  deadLetterConnection: Redis;
  /** BullMQ key prefix (namespaceKeys().bullPrefix). */
  prefix: string;
  concurrency: number;
  /** BullMQ job lock: a job picked up by a process that died is handed out again after this. */
  queueLockMs: number;
  fence: Fence | undefined;
  /** Finished jobs' retention, for jobs whose producer set none (default: jobRetentionOptions' defaults). */
  jobRetention?: JobRetention;
  /** Routes an order without an expiry to its contract policy's month; absent, such an order is refused. */
  contracts?: ContractRouting;
  /** Where positions learn the month of an explicit last trade date (YYYYMMDD) before the order is judged. */
  positions?: Pick<PositionBook, 'learnMonthOf'>;
}

/** What intake asks the process's ContractResolver (src/contracts). */
export interface ContractRouting {
  forOrder(symbol: string): Promise<{ contractMonth: string; localSymbol: string; policy: ContractPolicy }>;
}

/** A future without an expiry, and nothing to choose its month: the job cannot be placed as sent. */
export class NoContractRoutingError extends Error {
  override readonly name = 'NoContractRoutingError';
}

/**
 * The `orders` queue's consumer: each job is validated, deduplicated by its clientOrderId (the
 * store's create is the check) and handed to a new order actor; cancels and modifies go to the
 * running actor.
 */
export class OrderIntake {
  private worker: Worker | null = null;
  private jobPolling: Redis | null = null;
  private deadLettering: DeadLettering | null = null;
  private dlq: DeadLetterQueue | null = null;

  constructor(private readonly deps: OrderIntakeDeps) {}

  start(): void {
    const { prefix, logger, queueLockMs } = this.deps;
    const connection = this.deps.connectJobPolling();
    this.jobPolling = connection;
    this.worker = new Worker(ORDER_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      concurrency: this.deps.concurrency,
      lockDuration: queueLockMs,
      // Intake is idempotent (the store's create is the check), so a job whose process died can be
      // handed out again as often as processes die; BullMQ's default (1) would fail it instead.
      maxStalledCount: 1_000,
      stalledInterval: queueLockMs,
      // A paused node's blocked BZPOPMIN can take a new job's wake-up (Redis serves the first
      // blocked client): the active node's worker then finds the job at its next poll, within 1 s.
      drainDelay: 1,
      prefix,
      // Applies to jobs added without their own (external producers); dead letters are a queue of their own, untouched.
      ...jobRetentionOptions(this.deps.jobRetention),
    });
    this.worker.on('error', (error) => logger.error('orders worker error', { error: error.message }));
    this.dlq = new DeadLetterQueue(ORDER_QUEUE_NAME, { connection: this.deps.deadLetterConnection, logger, prefix });
    this.deadLettering = attachDeadLettering(this.worker, this.dlq, { logger });
  }

  /** One job: validated, deduplicated by clientOrderId, then handed to an order actor. */
  process(job: Job, token?: string): Promise<IntakeResult> {
    const pickedAt = performance.now();
    const tracing = orderTracing();
    return tracing ? tracing.jobPickedUp(job, () => this.processPicked(job, token, pickedAt)) : this.processPicked(job, token, pickedAt);
  }

  private async processPicked(job: Job, token: string | undefined, pickedAt: number): Promise<IntakeResult> {
    const tracing = orderTracing();
    const parsed = tracing ? tracing.validating(() => parseOrderJob(job.data)) : parseOrderJob(job.data);
    if (!parsed.ok) throw new InvalidPayloadError(parsed.errors);
    try {
      const refusal = this.deps.fence?.sendRefusal() ?? null;
      if (refusal !== null) throw new FencedError(refusal);
      return await this.accept(parsed.job, job.id, job.data, pickedAt);
    } catch (error) {
      // Not this node's to take any more (it lost the lease): back to the queue, not a failure and
      // never a dead letter, for the active node to pick up.
      if (!(error instanceof FencedError) || token === undefined) throw error;
      await job.moveToDelayed(Date.now() + 250, token);
      throw new DelayedError();
    }
  }

  async accept(job: OrderJob, jobId?: string, payload?: unknown, pickedAt?: number): Promise<IntakeResult> {
    const { tree, store, live, owners, auditor } = this.deps;
    if ((job.type === 'cancel' || job.type === 'modify') && owners.refuseIfForeign(job.clientOrderId, job.type, live.symbolOf(job.clientOrderId))) {
      return { outcome: 'foreignClientOrder', clientOrderId: job.clientOrderId };
    }
    if (job.type === 'cancel') {
      const delivery = sendToOrder(tree, job.clientOrderId, { type: 'CANCEL' });
      return { outcome: delivery === 'unknown' ? 'unknownOrder' : 'cancelRequested', clientOrderId: job.clientOrderId };
    }
    if (job.type === 'modify') {
      const { type: _type, clientOrderId, ...changes } = job;
      const delivery = sendToOrder(tree, clientOrderId, { type: 'MODIFY', ...changes });
      return { outcome: delivery === 'unknown' ? 'unknownOrder' : 'modifyRequested', clientOrderId };
    }
    let spec: OrderSpec;
    try {
      spec = await this.routed(toSpec(job), 'symbol' in job.instrument);
    } catch (error) {
      // A redelivered job whose order is already stored needs no month: adopt it, or a broker
      // outage during redelivery would dead-letter the job and strand the stored order.
      if ((await store.load(job.clientOrderId)) === null) throw error;
      await live.adoptIfOrphaned(job.clientOrderId, jobId, payload ?? job);
      return { outcome: 'duplicate', clientOrderId: job.clientOrderId };
    }
    const receivedAt = Date.now();
    const created = await store.create(spec, receivedAt);
    if (!created) {
      await live.adoptIfOrphaned(spec.clientOrderId, jobId, payload ?? job);
      return { outcome: 'duplicate', clientOrderId: spec.clientOrderId };
    }
    auditor.received(spec.clientOrderId, spec.account, jobId, payload ?? job);
    if (pickedAt !== undefined) this.deps.meter.jobPickedUp(spec.clientOrderId, pickedAt);
    live.startFresh(spec, receivedAt);
    return { outcome: 'accepted', clientOrderId: spec.clientOrderId };
  }

  /**
   * The spec with the month it trades recorded: an explicit expiry as given; none, the month the
   * symbol's market data is priced from, else the one its contract policy chooses now (broker clock). Recorded in the stored spec, so recovery,
   * fills and positions see the same month. A duplicate job may resolve again, harmlessly: the
   * stored spec of the first one wins.
   */
  private async routed(spec: OrderSpec, bySymbol: boolean): Promise<OrderSpec> {
    if (!bySymbol) return spec;
    if (spec.expiry) {
      await this.deps.positions?.learnMonthOf(spec.symbol, spec.expiry);
      return spec;
    }
    const contracts = this.deps.contracts;
    if (!contracts) throw new NoContractRoutingError(`${spec.clientOrderId}: ${spec.symbol} has no expiry and no contract policy is available to choose its month`);
    const chosen = await contracts.forOrder(spec.symbol);
    this.deps.logger.info(`order ${spec.clientOrderId} without an expiry goes to ${spec.symbol} ${chosen.contractMonth}`, {
      orderId: spec.clientOrderId,
      symbol: spec.symbol,
      contractMonth: chosen.contractMonth,
      localSymbol: chosen.localSymbol,
      policy: describePolicy(chosen.policy),
    });
    return { ...spec, expiry: chosen.contractMonth };
  }

  /** The kill switch's cancel-all: every order working in this process is asked to cancel (a TWAP parent cancels its slices). */
  cancelAllWorking(): number {
    const { tree, live, owners } = this.deps;
    let asked = 0;
    for (const [clientOrderId, { spec }] of live.entries()) {
      if (spec.parentId !== undefined) continue;
      if (owners.refuseIfForeign(clientOrderId, 'cancel', spec.symbol)) continue;
      if (sendToOrder(tree, clientOrderId, { type: 'CANCEL', reason: 'kill switch: cancel all' }) !== 'unknown') asked += 1;
    }
    return asked;
  }

  async stop(): Promise<void> {
    await this.closeWorker();
    await this.deadLettering?.idle();
    this.deadLettering?.detach();
    await this.dlq?.close();
    await this.jobPolling?.quit().catch(() => this.jobPolling?.disconnect());
  }

  /**
   * Lets jobs in hand finish, within a bound: a job stuck on an unreachable Redis would hold the
   * stop forever. Forcing is safe because intake is idempotent: the job's lock lapses and it is
   * handed out again, and its clientOrderId decides whether it was already taken.
   */
  private async closeWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    if ((await withinMs(worker.close(), 5_000)) === 'closed') return;
    // BullMQ keeps the first close() pending (close(true) returns that same promise): cut its connections.
    this.deps.logger.warn('order worker did not close within 5 s (Redis unreachable?); disconnecting it; jobs in hand are handed out again');
    await withinMs(worker.disconnect(), 1_000);
    this.jobPolling?.disconnect();
  }
}

/** A new order's job as the order machine's spec (a contract by id is known to the machine by its conId). */
export function toSpec(order: NewOrder): OrderSpec {
  const { instrument } = order;
  return {
    clientOrderId: order.clientOrderId,
    account: order.account,
    ...('symbol' in instrument ? { symbol: instrument.symbol, ...(instrument.expiry ? { expiry: instrument.expiry } : {}) } : { symbol: String(instrument.conId) }),
    side: order.side,
    quantity: order.quantity,
    orderType: order.orderType,
    ...(order.limitPrice !== undefined ? { limitPrice: order.limitPrice } : {}),
    ...(order.stopPrice !== undefined ? { stopPrice: order.stopPrice } : {}),
    timeInForce: order.timeInForce,
    ...(order.algorithm ? { algorithm: order.algorithm } : {}),
    ...(order.deadline ? { deadlineAt: Date.parse(order.deadline) } : {}),
    strategy: order.strategy,
  };
}
