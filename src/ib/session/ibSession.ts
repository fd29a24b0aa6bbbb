import type { WhatIfMargins } from './orderFeed.ts';
import type { Contract, ContractDetails, IBApi, Order } from '@stoqey/ib';
import { NoBrokerSessionError, pacingKeyOf, type HistoricalBar, type HistoricalBarsRequest } from './historicalBars.ts';
import {
  AdaptiveRate,
  HistoricalPacing,
  OutboundQueue,
  RingQueue,
  TokenBucket,
  type HistoricalPacingConfig,
  type HistoricalRequest,
  type OutboundPriority,
} from '../pacing/index.ts';
import { RequestCorrelator } from './requestCorrelator.ts';
import { OrderFeed } from './orderFeed.ts';
import { takeBrokerSnapshot, type BrokerSnapshot } from './brokerSnapshot.ts';
import { BrokerClock } from './brokerClock.ts';
import { EventName } from '../stoqeyValues.ts';

/** What the broker knows of one order, found by its orderRef. */
export interface BrokerOrderFound {
  ibOrderId: number;
  status: string;
  fills: { execId: string; quantity: number; price: number }[];
  /** The API client that placed it, when the broker said (an open order); null when only executions were found. */
  clientId: number | null;
}
import type { OrderIdAllocator } from './orderIdAllocator.ts';
import type { Now } from '../../shared/clock.ts';

class SocketClosedError extends Error {}

/** One outbound message: a call on the live client, made when pacing allows. */
export type Outbound = (api: IBApi) => void;

export interface IbSessionOptions {
  /** Sustained outbound messages per second (IB allows 50). */
  ratePerSecond: number;
  burst: number;
  /** Off in benchmarks that measure raw throughput. */
  paced: boolean;
  requestTimeoutMs: number;
  orderIds: OrderIdAllocator;
  historicalPacing?: Partial<HistoricalPacingConfig>;
  now?: Now;
}

/**
 * The data plane of one IB connection: paced, prioritised outbound messages, request
 * correlation and order ids. The connection machine decides when it is online; this moves bytes.
 */
export class IbSession {
  readonly correlator = new RequestCorrelator();
  /** Order statuses, executions, commissions and order errors from the broker. */
  readonly orderFeed = new OrderFeed();
  private readonly readinessListeners = new Set<(canSendOrders: boolean) => void>();
  readonly orderIds: OrderIdAllocator;
  /** The gateway's clock, learnt from its currentTime answers (at connect and with each heartbeat). */
  readonly brokerClock = new BrokerClock();
  private readonly onCurrentTime = (time: number) => this.brokerClock.observe(time);
  private api: IBApi | null = null;
  private readonly bucket: TokenBucket;
  private readonly adaptive: AdaptiveRate;
  private readonly queue: OutboundQueue<Outbound>;
  private readonly historical: HistoricalPacing;
  /** Historical requests waiting for IB's pacing rules to allow them. */
  private readonly historicalTimers = new Set<NodeJS.Timeout>();
  /**
   * Every historical request not answered yet (held by pacing, queued, or sent): each fails at
   * once when the connection goes, and is never sent on the next one.
   */
  private readonly historicalUnanswered = new Set<(error: Error) => void>();
  /** Orders that must wait while TWS is cut off from IB (1100/2110). */
  private readonly heldOrders = new RingQueue<Outbound>();
  private holding = false;
  private drainTimer: NodeJS.Timeout | null = null;
  private readonly now: Now;
  private readonly sentListeners = new Set<(at: number) => void>();
  /** Request ids live far above order ids so the two can never be confused in routed errors. */
  private nextReqId = 100_000_000;
  private readonly send = (message: Outbound) => {
    const api = this.api!;
    // A socket that is closing would swallow the message; keep it queued for the next connection.
    if (!api.isConnected) throw new SocketClosedError();
    // The instant the bucket let it go: encoding the message is not part of its pacing.
    const at = this.sentListeners.size > 0 ? this.now() : 0;
    message(api);
    for (const listener of this.sentListeners) listener(at);
  };
  sent = 0;

  constructor(private readonly options: IbSessionOptions) {
    this.now = options.now ?? (() => performance.now());
    this.bucket = new TokenBucket({ ratePerSecond: options.paced ? options.ratePerSecond : 1e9, burst: options.paced ? options.burst : 1e9 });
    this.adaptive = new AdaptiveRate({ configuredRate: options.paced ? options.ratePerSecond : 1e9, floorRate: Math.min(5, options.ratePerSecond) });
    this.queue = new OutboundQueue(this.bucket);
    this.historical = new HistoricalPacing(options.historicalPacing);
    this.orderIds = options.orderIds;
  }

  get online(): boolean {
    return this.api !== null;
  }

  get client(): IBApi | null {
    return this.api;
  }

  get queued(): number {
    return this.queue.size + this.heldOrders.size;
  }

  get currentRate(): number {
    return this.bucket.ratePerSecond;
  }

  /** Observes every message written to the socket (rate checks, metrics). */
  onSent(listener: (at: number) => void): () => void {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  /** Whether an order sent now would go out (online, and TWS not cut off from IB). */
  get canSendOrders(): boolean {
    return this.api !== null && !this.holding;
  }

  /** Told whenever `canSendOrders` may have changed. */
  onReadiness(listener: (canSendOrders: boolean) => void): () => void {
    this.readinessListeners.add(listener);
    return () => this.readinessListeners.delete(listener);
  }

  private announceReadiness(): void {
    const ready = this.canSendOrders;
    for (const listener of this.readinessListeners) listener(ready);
  }

  goOnline(api: IBApi): void {
    if (this.api !== api) {
      this.api?.off(EventName.currentTime, this.onCurrentTime);
      api.on(EventName.currentTime, this.onCurrentTime);
      // Learn the broker's clock at once; heartbeats keep it current.
      this.enqueue('cancel', (client) => client.reqCurrentTime());
    }
    this.api = api;
    this.drain();
    this.announceReadiness();
  }

  goOffline(reason: string): void {
    const wasOnline = this.api !== null;
    this.api?.off(EventName.currentTime, this.onCurrentTime);
    this.api = null;
    if (wasOnline) this.announceReadiness();
    for (const listener of [...this.offlineListeners]) listener(reason);
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    // Before the correlator's failAll, so a sent historical request fails as offline (503), not as IB's refusal.
    this.abandonHistorical(reason);
    this.correlator.failAll(`connection lost: ${reason}`);
  }

  /**
   * Asked just before each order message (placeOrder, modify, cancelOrder: see `enqueueOrderMessage`)
   * is written to the socket: a reason refuses it (it is dropped, not sent later). The lease sets it,
   * so a node that lost the lease while its messages waited for pacing, or while it was paused,
   * sends none of them. Heartbeats and data requests are not order messages.
   */
  private sendGate: (() => string | null) | null = null;
  private readonly refusedListeners = new Set<(reason: string) => void>();

  gateOrderMessages(gate: (() => string | null) | null): void {
    this.sendGate = gate;
  }

  /** Told of each order or cancel message the gate refused. */
  onSendRefused(listener: (reason: string) => void): () => void {
    this.refusedListeners.add(listener);
    return () => this.refusedListeners.delete(listener);
  }

  /**
   * Queues an order message; it goes out when online and pacing allows, unless the send gate
   * refuses it then. `onDropped` is told when it is refused (the caller must not wait for it).
   */
  enqueueOrderMessage(priority: 'order' | 'cancel', message: Outbound, onDropped?: () => void): void {
    this.enqueue(priority, (api) => {
      const refusal = this.sendGate?.() ?? null;
      if (refusal === null) return message(api);
      onDropped?.();
      for (const listener of this.refusedListeners) listener(refusal);
    });
  }

  /** Queues a message; it goes out when online and pacing allows. Never dropped. */
  enqueue(priority: OutboundPriority, message: Outbound): void {
    if (priority === 'order' && this.holding) {
      this.heldOrders.push(message);
      return;
    }
    this.queue.enqueue(message, priority);
    if (this.api && !this.drainTimer) this.drain();
  }

  /**
   * Historical bars (IB reqHistoricalData), correlated by reqId. The request passes IB's pacing
   * rules first; the answer's timeout runs from when it is written, not while pacing holds it.
   */
  historicalBars(request: HistoricalBarsRequest): Promise<HistoricalBar[]> {
    return new Promise((resolve, reject) => {
      let abandoned = false;
      const abandon = (error: Error) => {
        abandoned = true;
        this.historicalUnanswered.delete(abandon);
        reject(error);
      };
      this.historicalUnanswered.add(abandon);
      const settled = () => this.historicalUnanswered.delete(abandon);
      this.requestHistorical(pacingKeyOf(request), (api) => {
        // Failed when an earlier connection went while it sat in the outbound queue: nobody waits for it.
        if (abandoned) return;
        const reqId = this.nextReqId++;
        this.correlator.open<HistoricalBar>(reqId, this.options.requestTimeoutMs).then(
          (bars) => {
            settled();
            resolve(bars);
          },
          (error: Error) => {
            settled();
            reject(error);
          },
        );
        const { contract, endDateTime, duration, barSize, whatToShow, useRth } = request;
        api.reqHistoricalData(reqId, contract, endDateTime === '' ? undefined : endDateTime, duration, barSize, whatToShow, useRth, 1, false);
      });
    });
  }

  /** The connection went: every historical request still waiting fails now; held ones give up their pacing timers. */
  private abandonHistorical(reason: string): void {
    for (const timer of this.historicalTimers) clearTimeout(timer);
    this.historicalTimers.clear();
    const error = new NoBrokerSessionError(`the IB connection went offline (${reason}) before the historical data request was answered; try again once it is healthy`);
    for (const abandon of [...this.historicalUnanswered]) abandon(error);
  }

  /**
   * Historical data requests pass IB's pacing rules (identical within 15 s, same contract,
   * 60 per 10 minutes) before they are queued; one that must wait is queued at `retryAt`.
   */
  private requestHistorical(request: HistoricalRequest, message: Outbound): void {
    const decision = this.historical.tryAcquire(request, this.now());
    if (decision.ok) {
      this.enqueue('data', message);
      return;
    }
    const timer = setTimeout(() => {
      this.historicalTimers.delete(timer);
      this.requestHistorical(request, message);
    }, Math.max(0, decision.retryAt - this.now()));
    this.historicalTimers.add(timer);
  }

  /** Contract details for a contract (all matches), correlated by reqId with the request timeout. */
  contractDetails(contract: Contract): Promise<ContractDetails[]> {
    const reqId = this.nextReqId++;
    const answer = this.correlator.open<ContractDetails>(reqId, this.options.requestTimeoutMs);
    this.enqueue('data', (api) => api.reqContractDetails(reqId, contract));
    return answer;
  }

  /**
   * IB's whatIf: the order sent with whatIf set (under an order id of its own, so it can never be
   * mistaken for the real one), answered with the margin it would use; nothing is placed.
   */
  async whatIf(contract: Contract, order: Order): Promise<WhatIfMargins> {
    const orderId = await this.orderIds.allocate();
    return new Promise<WhatIfMargins>((resolve, reject) => {
      const timer = setTimeout(() => finish(() => reject(new Error(`no whatIf answer within ${this.options.requestTimeoutMs} ms`))), this.options.requestTimeoutMs);
      const unsubscribe = this.orderFeed.subscribe((update) => {
        if (update.kind === 'whatIf' && update.orderId === orderId) finish(() => resolve(update.margins));
        else if (update.kind === 'error' && update.orderId === orderId) finish(() => reject(new Error(`${update.code}: ${update.message}`)));
      });
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        settle();
      };
      this.enqueue('order', (api) => api.placeOrder(orderId, contract, { ...order, whatIf: true, orderRef: `${order.orderRef ?? ''}~whatif`, transmit: true }));
    });
  }

  /**
   * What the broker knows of an order, by orderRef. Waits until online; lookups run one at a
   * time because open-order answers carry no request id.
   */
  async lookupOrder(orderRef: string): Promise<BrokerOrderFound | null> {
    const snapshot = await this.brokerSnapshot();
    const open = snapshot.openOrders.find((o) => o.orderRef === orderRef);
    const executions = snapshot.executions.filter((e) => e.orderRef === orderRef);
    if (!open && executions.length === 0) return null;
    return {
      ibOrderId: open?.orderId ?? executions[0]!.orderId,
      status: open?.status ?? 'Filled',
      fills: executions.map((e) => ({ execId: e.execId, quantity: e.shares, price: e.price })),
      clientId: open?.clientId ?? null,
    };
  }

  /**
   * Open orders, executions and positions, for reconciliation; rejects rather than answering empty.
   * Callers that ask while one is waiting to run share it: many in-doubt orders cost one snapshot.
   */
  brokerSnapshot(): Promise<BrokerSnapshot> {
    this.queuedSnapshot ??= this.oneAtATime(async () => {
      this.queuedSnapshot = null;
      const api = await this.whenOnline();
      return takeBrokerSnapshot(api, this.nextReqId++, this.options.requestTimeoutMs, (abort) => this.onOffline(abort));
    });
    return this.queuedSnapshot;
  }

  private queuedSnapshot: Promise<BrokerSnapshot> | null = null;
  private readonly offlineListeners = new Set<(reason: string) => void>();

  private onOffline(listener: (reason: string) => void): () => void {
    this.offlineListeners.add(listener);
    return () => this.offlineListeners.delete(listener);
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.lookups.then(work, work);
    this.lookups = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private lookups: Promise<unknown> = Promise.resolve();

  private whenOnline(): Promise<IBApi> {
    if (this.api) return Promise.resolve(this.api);
    return new Promise((resolve) => {
      const off = this.onReadiness(() => {
        if (!this.api) return;
        off();
        resolve(this.api);
      });
    });
  }

  /** Historical requests held back by pacing rules. */
  get historicalWaiting(): number {
    return this.historicalTimers.size;
  }

  holdOrders(hold: boolean): void {
    const changed = this.holding !== hold;
    this.holding = hold;
    if (changed) this.announceReadiness();
    if (hold) return;
    while (this.heldOrders.size > 0) this.queue.enqueue(this.heldOrders.shift()!, 'order');
    if (this.api) this.drain();
  }

  /** Error 100 arrived: step the rate down (it recovers by itself). */
  slowDown(): void {
    const now = this.now();
    this.adaptive.onPacingViolation(now);
    this.bucket.setRate(this.adaptive.rateAt(now), now);
  }

  private drain(): void {
    this.drainTimer = null;
    if (!this.api) return;
    const now = this.now();
    if (this.options.paced) this.bucket.setRate(this.adaptive.rateAt(now), now);
    const before = this.queue.size;
    let nextAt: number | null;
    try {
      nextAt = this.queue.drain(now, this.send);
    } catch (error) {
      if (!(error instanceof SocketClosedError)) throw error;
      // The connection machine will see the disconnect and bring the session back online.
      this.sent += before - this.queue.size;
      return;
    }
    this.sent += before - this.queue.size;
    if (nextAt !== null) {
      this.drainTimer = setTimeout(() => this.drain(), Math.max(0, nextAt - now));
    }
  }
}
