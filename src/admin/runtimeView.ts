import type { Registry } from 'prom-client';
import type { ActorNode, Readiness } from '../supervision/treeView.ts';
import type { DeliveryResult } from '../supervision/addressBook.ts';
import type { HaltSwitchView } from './haltSwitchView.ts';
import type { OrderFaultHooks } from '../orders/orderFaultHooks.ts';
import type { ReplayAllResult, ReplayResult } from '../queues/index.ts';
import type { HistoricalBar, HistoricalBarsRequest } from '../ib/session/historicalBars.ts';
import type { OrderDetail, OrderSummary } from '../orders/orderSummary.ts';
import type { OrderListQuery, OrderPage } from '../orders/orderQueries.ts';
import type { FillPage } from '../orders/fillStreamReads.ts';
import type { Queue } from 'bullmq';
import type { FieldError } from './apiError.ts';
import type { PricesInput } from './schemas/priceViews.ts';
import type { PositionsInput } from './schemas/positionViews.ts';
import type { ConnectionView } from './schemas/connectionViews.ts';
import type { HaltStateView } from './schemas/haltStateViews.ts';
import type { DeadLetterRow, QueueOverview } from './schemas/deadLetterViews.ts';
import type { ReportsView } from './schemas/reportViews.ts';
import type { AuditVerifyRange, AuditVerifyView } from './schemas/auditVerifyViews.ts';
import type { SupervisionEvent } from './schemas/actorStreamViews.ts';
import type { EventFeed } from '../events/index.ts';

/** The tree's own shapes are supervision's; the admin API and CLI read them through this view. */
export type { ActorNode, Readiness, DeliveryResult };

/** What the audit trail keeps of a mutating admin request (see `adminRequest` in src/audit/runtimeRecordKinds.ts). */
export interface AdminRequestRecord {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string;
  requestId: string;
  role: 'operator';
  bodyDigest: string;
  statusCode: number;
  /** Present when a browser session's cookie carried the request (absent: a bearer token). */
  via?: 'session';
}

/** A console login or logout, as the audit trail keeps it (see `adminSession` in src/audit/runtimeRecordKinds.ts): never the token. */
export interface AdminSessionRecord {
  event: 'login' | 'logout';
  role: 'operator' | 'read';
  requestId: string;
}

/** What the actor stream (`GET /actors/stream`) hears: the tree after a change (at most one per coalescing interval), and each supervision event. */
export type ActorFeedEvent = { type: 'tree'; tree: ActorNode } | { type: 'supervision'; event: SupervisionEvent };

/** The node's tree changes and supervision events, for as long as a listener is subscribed. */
export interface ActorFeedView {
  subscribe(listener: (event: ActorFeedEvent) => void): () => void;
}

/** A BullMQ queue Bull Board shows (read-only); a dead-letter queue (`dead` under its source's prefix) names its source. */
export interface BoardQueue {
  queue: Queue;
  deadLetterOf?: string;
}

export interface InjectedEvent {
  type: string;
  [key: string]: unknown;
}

/** This node's place in its namespace: the lease holder is active, every other node stands by. */
export interface NodeRoleView {
  role: 'active' | 'standby';
  namespace: string;
  nodeId: string;
  /** The fencing token this node holds while active; null on a standby. */
  token: number | null;
  /** The node holding the lease as last seen (this one when active), or null when none does. */
  activeNodeId: string | null;
}

/** The node's live events (`GET /events`): its one reader of the event stream, and how often an idle stream gets a keepalive. */
export interface LiveEventsView {
  feed: Pick<EventFeed, 'acquire' | 'position' | 'closed' | 'after' | 'waitBeyond'>;
  keepaliveMs: number;
}

/** What the admin API needs from a running runtime; nothing more. */
export interface RuntimeView {
  readiness(): Readiness;
  actorTree(): ActorNode;
  deliver(systemId: string, event: InjectedEvent, meta: { requestId: string }): DeliveryResult;
  /**
   * Puts an order job (new, cancel or modify) on the `orders` queue, validated first; absent when
   * orders are not running.
   */
  submitOrderJob?(job: unknown): Promise<OrderJobSubmission>;
  /**
   * Why the actor would refuse this injected event, or null: reserved types (lifecycle, XState,
   * broker-origin, order-internal) and types its kind does not declare are refused. Null for an
   * unknown actor, which `deliver` answers.
   */
  validateEvent(systemId: string, event: InjectedEvent): string | null;
  /**
   * Records an accepted injected event where it must be recorded before delivery (order actors:
   * the order audit trail, with the request id); resolves to why it could not be, or null.
   */
  recordInjection?(systemId: string, event: InjectedEvent, meta: { requestId: string }): Promise<string | null>;
  /** Test-only order fault hooks (`testing.faultHooks`): absent unless that flag is on. */
  orderFaultHooks?: OrderFaultHooks;
  /** The order-intake halt switch (halt, resume): absent where orders do not run. */
  haltSwitch?: HaltSwitchView;
  /** Appends an authenticated mutating request to the hash-chained audit trail; absent without one. */
  auditAdminRequest?(request: AdminRequestRecord): Promise<void>;
  /** Active or standby (see src/lease); absent where no lease runs (then the node counts as active). */
  nodeRole?(): NodeRoleView;
  /** Clears an open reconciliation break, unlocking its instrument; false when none is open for it. */
  clearBreak?(symbol: string): Promise<boolean>;
  /** The source queues whose dead letters (`<queue>:dead`) an operator may replay or purge. */
  deadLetterQueues?(): readonly string[];
  /**
   * Replays one dead letter of `queue` (by `<queue>:dead:<jobId>` or bare job id), or every one not
   * replayed yet when `id` is absent. Throws DeadLetterNotFoundError, DeadLetterNotReplayableError
   * or DeadLetterIdError (an id of another queue), as src/queues does.
   */
  replayDeadLetters?(queue: string, id?: string): Promise<ReplayResult | ReplayAllResult>;
  /** Deletes the dead letters of `queue` dead-lettered more than `olderThanMs` ago; resolves to their ids. */
  purgeDeadLetters?(queue: string, olderThanMs: number): Promise<string[]>;
  /**
   * Historical bars from IB through the order connection's session (its pacing rules apply);
   * rejects with NoBrokerSessionError when that connection is not online. Absent without one.
   */
  historicalBars?(request: HistoricalBarsRequest): Promise<HistoricalBar[]>;
  /** The namespace's orders and fills, read from Redis: any node answers them. Absent where no Redis serves reads. */
  orderReads?: OrderReadsView;
  /** The position book next to the broker's positions, with the open breaks; null where no order service runs (a standby). */
  positions?(): Promise<PositionsInput | null>;
  /** The consolidated prices of the node's market-data engine (fed only on the active node); absent without one. */
  prices?(): PricesInput;
  /** Appends a console login or logout to the hash-chained audit trail; absent without one. */
  auditAdminSession?(record: AdminSessionRecord): Promise<void>;
  /** This node's IB connections (none on a standby); absent where no broker is part of the process. */
  connections?(): ConnectionView[];
  /** Whether order intake is halted, by which causes, who set them and since when; absent where orders do not run. */
  haltState?(): HaltStateView;
  /** The queues that keep dead letters, with their jobs by state and their dead letters (read from Redis: any node). */
  deadLetterOverview?(): Promise<QueueOverview[]>;
  /** The newest `limit` dead letters of one of `deadLetterQueues()`. */
  deadLetterList?(queue: string, limit: number): Promise<DeadLetterRow[]>;
  /** Regulatory filings, from the `reports` queue (any node) and the transports' breakers (the active node). */
  reports?(): Promise<ReportsView>;
  /** Verifies the hash-chained audit trail, the whole of it or a range. */
  verifyAudit?(range: AuditVerifyRange): Promise<Omit<AuditVerifyView, 'from' | 'to'>>;
  /** The tree's changes and supervision events as they happen. */
  actorFeed?: ActorFeedView;
  /** The namespace's BullMQ queues, for Bull Board (`/queues`). */
  boardQueues?(): readonly BoardQueue[];
  /** Live events from the namespace's event stream, on any node; absent without one. */
  liveEvents?: LiveEventsView;
  readonly metricsRegistry: Registry;
}

/** Reads of orders and fills (`GET /orders`, `GET /orders/{id}`, `GET /fills`). */
export interface OrderReadsView {
  listOrders(query: OrderListQuery): Promise<OrderPage>;
  /** Stored, or still a job on the queue; null when the clientOrderId is unknown. */
  order(clientOrderId: string): Promise<OrderDetail | null>;
  /** Executions after `since` (exclusive; null: from the oldest retained). */
  fills(since: string | null, limit: number): Promise<FillPage>;
}

/** Writes an injected event into its order's audit trail (set by ordersRuntime); resolves to why it could not, or null. */
export type InjectionAudit = (systemId: string, event: InjectedEvent, requestId: string, brokerOrigin: boolean) => Promise<string | null>;

/**
 * `unavailable`: intake is not running here now (orders disabled, or the process is stopping): try again or elsewhere.
 * `errors`: the job is invalid, one `field: problem` line each (`fields`: the same, by field).
 * `duplicate`: a new order whose clientOrderId is already stored or queued: that order, nothing queued.
 * `unknownOrder`: a cancel or modify of a clientOrderId nobody knows: nothing queued.
 */
export type OrderJobSubmission =
  | { accepted: true; jobId: string; clientOrderId: string }
  | { accepted: false; errors: string[]; fields?: FieldError[] }
  | { accepted: false; unavailable: string }
  | { accepted: false; duplicate: OrderSummary }
  | { accepted: false; unknownOrder: string };
