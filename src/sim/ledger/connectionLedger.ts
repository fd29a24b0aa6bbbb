import type { Now } from '../../shared/clock.ts';
/** Where a connection got to: still before startApi, past it, or turned away (326). */
export type ConnectionStatus = 'handshaking' | 'accepted' | 'refused';

/** One API connection as the simulator saw it. Times are wall-clock epoch ms (Date.now()). */
export interface ConnectionRecord {
  /** Assigned by this simulator in accept order (1, 2, 3...); never reused. */
  connectionId: number;
  remoteAddress: string;
  remotePort: number;
  openedAt: number;
  status: ConnectionStatus;
  /** The client id startApi asked for, set for accepted and refused attempts alike. */
  clientId?: number;
  serverVersion?: number;
  /** When startApi was answered (accepted or refused). */
  startedAt?: number;
  /** The IB error code a refused attempt was sent (326). */
  errorCode?: number;
  closedAt?: number;
  closeReason?: string;
}

export interface ConnectionQuery {
  clientId?: number;
  status?: ConnectionStatus;
  /** true: still open; false: closed. */
  open?: boolean;
}

/**
 * Every API connection the simulator accepted, kept after it closes. Wall-clock times, not the
 * simulator's market clock, because a chaos harness compares them with other processes' clocks.
 */
export class ConnectionLedger {
  private readonly records: ConnectionRecord[] = [];

  constructor(private readonly wallClock: Now = Date.now) {}

  /** A socket was accepted; returns its connection id. */
  open(remoteAddress: string, remotePort: number): number {
    const connectionId = this.records.length + 1;
    this.records.push({ connectionId, remoteAddress, remotePort, openedAt: this.wallClock(), status: 'handshaking' });
    return connectionId;
  }

  /** startApi was answered: the client id is taken (accepted) or was in use (refused with `errorCode`). */
  started(connectionId: number, clientId: number, serverVersion: number, errorCode?: number): void {
    const record = this.mutable(connectionId);
    record.clientId = clientId;
    record.serverVersion = serverVersion;
    record.startedAt = this.wallClock();
    record.status = errorCode === undefined ? 'accepted' : 'refused';
    if (errorCode !== undefined) record.errorCode = errorCode;
  }

  closed(connectionId: number, reason: string): void {
    const record = this.mutable(connectionId);
    if (record.closedAt !== undefined) return;
    record.closedAt = this.wallClock();
    record.closeReason = reason;
  }

  /** Copies, in connection id order. */
  all(): ConnectionRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  get(connectionId: number): ConnectionRecord | undefined {
    const record = this.records[connectionId - 1];
    return record && { ...record };
  }

  query(q: ConnectionQuery): ConnectionRecord[] {
    return this.records
      .filter(
        (r) =>
          (q.clientId === undefined || r.clientId === q.clientId) &&
          (q.status === undefined || r.status === q.status) &&
          (q.open === undefined || (r.closedAt === undefined) === q.open),
      )
      .map((r) => ({ ...r }));
  }

  private mutable(connectionId: number): ConnectionRecord {
    const record = this.records[connectionId - 1];
    if (!record) throw new Error(`unknown connection ${connectionId}`);
    return record;
  }
}
