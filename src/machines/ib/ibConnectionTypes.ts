import type { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';
/** A gateway (IB Gateway, TWS or the simulator) in failover order: the first is the primary. */
export interface Gateway {
  host: string;
  port: number;
}

export interface IbConnectionTiming {
  connectTimeoutMs: number;
  /** Until both nextValidId and managedAccounts have arrived. */
  handshakeTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** No answer to the heartbeat within this and the socket is treated as half-open. */
  heartbeatTimeoutMs: number;
  /** Connected this long without trouble and the reconnect backoff starts again from its minimum. */
  stableAfterMs: number;
  /** Consecutive failed attempts on one gateway before moving to the next. */
  failoverAfterAttempts: number;
  /** While on a backup, how often to check whether the primary is back. */
  primaryProbeIntervalMs: number;
}

export interface ReconnectBackoff {
  minMs: number;
  maxMs: number;
  jitter: number;
}

export interface IbConnectionInput {
  gateways: Gateway[];
  /** Connection attempts go through a circuit breaker (resilience4j semantics) with this config. */
  breaker?: import('../circuitBreaker/config.ts').CircuitBreakerConfigInput;
  clientIds: number[];
  timing: IbConnectionTiming;
  backoff: ReconnectBackoff;
  /** Seeds the jitter so a run is reproducible. */
  seed?: number;
}

export interface IbConnectionCounters {
  connects: number;
  disconnects: number;
  failedAttempts: number;
  halfOpenDetected: number;
  failovers: number;
  failbacks: number;
  clientIdSwitches: number;
  messages: number;
  unknownCodes: number;
  pacingViolations: number;
  breakerRejections: number;
  /** Connections dropped because the gateway broke the framing (bad length prefix, undecodable stream). */
  protocolErrors: number;
}

export interface IbConnectionContext extends IbConnectionInput {
  gatewayIndex: number;
  clientIdIndex: number;
  /** Consecutive failures on the current gateway. */
  attempts: number;
  /** When the attempt in progress started (ms), for the breaker's slow-call accounting. */
  attemptStartedAt: number | null;
  rng: number;
  nextDelayMs: number;
  nextValidId: number | null;
  accounts: string[];
  brokenFarms: string[];
  lastError: string | null;
  connectedAt: number | null;
  counters: IbConnectionCounters;
}

/** What the IB client actor reports. */
export type IbClientEvent =
  | { type: 'ib.connected' }
  | { type: 'ib.disconnected'; reason?: string }
  | { type: 'ib.nextValidId'; orderId: number }
  | { type: 'ib.managedAccounts'; accounts: string[] }
  | { type: 'ib.message'; code: number; message: string; reqId: number }
  /** The gateway's byte stream broke the protocol; the socket is already gone. */
  | { type: 'ib.protocolError'; reason: string }
  | { type: 'ib.currentTime'; time: number }
  | { type: 'ib.primaryReachable' };

/** What the machine tells the IB client actor to do. */
export type IbClientCommand =
  | { type: 'connect'; host: string; port: number; clientId: number }
  | { type: 'disconnect' }
  | { type: 'heartbeat' }
  | { type: 'slowDown' }
  | { type: 'holdOrders'; hold: boolean }
  /** The handshake is done: outbound traffic may flow. */
  | { type: 'online' }
  | { type: 'offline' };

/** Events users may inject (admin API, CLI). */
export type IbControlEvent = { type: 'RECONNECT' } | { type: 'FAILOVER' } | { type: typeof SHUTDOWN_EVENT };

export type IbConnectionEvent = IbClientEvent | IbControlEvent | { type: 'HALF_OPEN' } | { type: 'BREAKER_OPEN' };

/** Emitted for whoever owns orders and subscriptions (they are not the connection's business). */
export type IbConnectionEmitted =
  | { type: 'ib.ready'; nextValidId: number; accounts: string[] }
  | { type: 'ib.resubscribe' }
  | { type: 'ib.routed'; routing: 'order' | 'request'; category: string; code: number; message: string; reqId: number }
  | { type: 'ib.unknownCode'; code: number; message: string };
