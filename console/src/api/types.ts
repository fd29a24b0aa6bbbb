/** The admin API's answers, as the console reads them (README "Admin API", GET /openapi.json). */

export type Role = 'operator' | 'read';

export interface SessionAnswer {
  authenticated?: boolean;
  role: Role | null;
  csrfToken: string | null;
  expiresAt: string | null;
}

export interface ActorNode {
  systemId: string;
  kind: string;
  state: unknown;
  status: 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed' | 'done';
  restarts: number;
  startedAt: string | null;
  details?: Record<string, unknown>;
  children: ActorNode[];
}

export interface SupervisionEvent {
  kind: 'restart' | 'escalation' | 'stopped' | 'started';
  systemId: string;
  at: string;
  detail?: unknown;
}

export interface OrderSummary {
  clientOrderId: string;
  state: string;
  terminal: boolean;
  account: string;
  symbol: string;
  contractMonth: string | null;
  side: 'BUY' | 'SELL';
  quantity: number;
  orderType: string;
  limitPrice: number | null;
  stopPrice: number | null;
  timeInForce: string;
  strategy: string | null;
  filledQuantity: number;
  averagePrice: number | null;
  receivedAt: string;
  updatedAt: string;
  url: string;
}

export interface OrderDetail extends OrderSummary {
  ibOrderId: number | null;
  brokerStatus: string | null;
  rejectReason: string | null;
  commission: number;
  executions: { execId: string; price: number; quantity: number; time: string | null; commission: number | null }[];
  history: ({ at: string; kind: string } & Record<string, unknown>)[];
}

export interface OrderPage {
  orders: OrderSummary[];
  nextCursor: string | null;
}

export interface OrderEvent {
  clientOrderId: string;
  state: string;
  filledQuantity: number;
  averagePrice: number | null;
  at: string;
}

export interface FillEvent {
  execId: string;
  clientOrderId: string;
  parentClientOrderId?: string;
  account: string;
  symbol: string;
  contractMonth: string | null;
  side: 'BUY' | 'SELL';
  price: number;
  quantity: number;
  time: string;
}

export interface BreakEvent {
  symbol: string;
  reason: string;
  detail?: string;
  state: 'open' | 'cleared';
  at: string;
}

export interface HaltEvent {
  halted: boolean;
  cause: string;
  reason: string;
  who: string;
  at: string;
}

export interface ConnectionEvent {
  connection: string;
  health: string;
  at: string;
}

export interface LostEvent {
  lastEventId: string;
  oldestRetainedId: string;
  reason: string;
}

export interface HaltState {
  halted: boolean;
  causes: { cause: string; reason: string; who: string; since: string }[];
}

export interface PriceRow {
  symbol: string;
  contractMonth: string | null;
  bid: number | null;
  ask: number | null;
  last: number | null;
  price: number | null;
  confidence: number;
  sources: number;
  updatedAt: string | null;
  ageMs: number | null;
  rejects?: Record<string, number>;
}

export interface PositionRow {
  account: string;
  symbol: string;
  contractMonth: string | null;
  broker: number | null;
  internal: number;
  difference: number;
  break: { reason: string; since: string } | null;
  limit?: number | null;
  reportableLevel?: number | null;
  reportable?: boolean;
}

export interface Positions {
  asOf: string;
  positions: PositionRow[];
  breaks: { symbol: string; reason: string; detail: string; since: string }[];
}

export interface ConnectionRow {
  id: string;
  gateway: { host: string; port: number };
  clientId: number | null;
  accounts: string[];
  accountType: 'PAPER' | 'LIVE' | null;
  health: string;
  state: string;
  dataFarms: { name: string; ok: boolean }[];
  lastError: { code: number | null; message: string; at: string; cause: string; hint: string } | null;
  breaker: { state: string } | null;
  pacing: { ratePerSecond: number; burst: number; queued: number };
}

export interface Connections {
  node: { role: 'active' | 'standby'; nodeId: string; namespace: string; fencingToken: number | null; activeNodeId: string | null };
  connections: ConnectionRow[];
}

export interface QueueCounts {
  name: string;
  counts: { waiting: number; active: number; delayed: number; prioritized: number; completed: number; failed: number };
  dead: number;
}

export interface DeadLetter {
  id: string;
  jobId: string;
  kind: string;
  reason: string;
  deadLetteredAt: string;
  attempts: number;
  replayedAt: string | null;
  replayable: boolean;
  data: unknown;
}

export interface Reports {
  nextDeadline: { report: string; due: string } | null;
  filings: { id: string; report: string; date: string; status: string; filedAt: string | null; acknowledgement: string | null }[];
  transports: { name: string; health: string; lastError: string | null }[];
}

export interface AuditVerification {
  ok: boolean;
  records: number;
  problems: { seq?: number; kind: string; message: string }[];
  from: string | null;
  to: string | null;
}

export interface MachineEntry {
  name: string;
  kinds: string[];
}

export interface GraphPoint {
  x: number;
  y: number;
}

export interface MachineGraph {
  name: string;
  width: number;
  height: number;
  nodes: {
    id: string;
    key: string;
    label: string;
    type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
    parent: string | null;
    initial: boolean;
    history: 'shallow' | 'deep' | null;
    x: number;
    y: number;
    width: number;
    height: number;
  }[];
  edges: {
    id: string;
    source: string;
    target: string;
    event: string;
    guard: string | null;
    /** Empty for a transition without target: its label is a line inside the source's box. */
    sections: GraphSection[];
    labelPos: GraphPoint;
  }[];
  initialMarks: { state: string; center: GraphPoint; radius: number; sections: GraphSection[] }[];
}

export interface GraphSection {
  startPoint: GraphPoint;
  endPoint: GraphPoint;
  bendPoints: GraphPoint[];
}
