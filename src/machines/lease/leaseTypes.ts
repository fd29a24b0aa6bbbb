import type { SHUTDOWN_EVENT } from '../../supervision/shutdownProtocol.ts';
export interface LeaseInput {
  namespace: string;
  nodeId: string;
}

export interface LeaseContext extends LeaseInput {
  /** The fencing token while this node holds the lease. */
  token: number | null;
  /** The lease's value while held ("<nodeId>|<token>"), what renewals and the release compare. */
  value: string | null;
  /** The node holding the lease as last seen (this one while it holds it). */
  activeNodeId: string | null;
  acquisitions: number;
  /** Leases lost other than by handing over: a renewal refused, a local expiry, a fenced write. */
  losses: number;
  lastLoss: string | null;
  /** A stand-down was asked for while stepping down: stop there instead of standing by again. */
  retiring: boolean;
}

export type LeaseEvent =
  /** The standby won the lease (its actor has already set the fence). */
  | { type: 'lease.acquired'; token: number; value: string }
  /** Who holds the lease now, as a standby sees it (null: nobody). */
  | { type: 'lease.seen'; holder: string | null }
  /** The lease is gone: a renewal was refused or came too late, or Redis refused a write as fenced. */
  | { type: 'lease.lost'; reason: string }
  /** Graceful handover (SIGTERM): stop the capabilities, release the lease, stand by no more. */
  | { type: 'lease.standDown' }
  | { type: typeof SHUTDOWN_EVENT };

export interface HoldInput {
  token: number;
  value: string;
}

/** What the step-down and handover actors get: the value to release (compare-and-delete). */
export interface ReleaseInput {
  value: string | null;
  reason: string;
}
