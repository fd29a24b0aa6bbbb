/** One IB connection as the pool sees it; an adapter over an IbSession and its connection machine. */
export interface PoolMember {
  readonly id: string;
  /** Connected and fit to carry new requests. */
  isHealthy(): boolean;
  /** Requests this connection is waiting on, as the connection itself counts them. */
  inFlight(): number;
}
