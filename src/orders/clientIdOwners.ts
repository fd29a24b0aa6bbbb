import type { Logger } from '../log/logger.ts';
import type { BreakRegistry } from './breakRegistry.ts';

/** Which IB API client id the session places orders under, and through which gateway. */
export type ConnectionInfo = () => { clientId: number; gateway: string };

/**
 * The API client id each order was placed under, as sent or as the broker reported it. IB lets
 * a session cancel or modify only its own client id's orders: after a takeover on another client
 * id (the old session still held ours: 326), an adopted order may belong to someone else.
 */
export class ClientIdOwners {
  private readonly owners = new Map<string, number>();

  constructor(
    private readonly connectionInfo: ConnectionInfo | undefined,
    private readonly breaks: BreakRegistry,
    private readonly logger: Logger,
  ) {}

  /** Where the session sends orders now (the audit trail's client id and gateway). */
  current(): { clientId: number; gateway: string } {
    return this.connectionInfo?.() ?? { clientId: 0, gateway: 'unknown' };
  }

  placedUnder(clientOrderId: string, clientId: number): void {
    this.owners.set(clientOrderId, clientId);
  }

  /** Why the order is another client id's (IB would refuse a cancel, 10147, and take a "modify" as a second order), or null. */
  foreignOwner(clientOrderId: string): string | null {
    const owner = this.owners.get(clientOrderId);
    const current = this.connectionInfo?.().clientId;
    if (owner === undefined || current === undefined || owner === current) return null;
    return `placed under IB client id ${owner}; this session is client id ${current}, and IB lets a client modify only its own orders`;
  }

  /**
   * True when the order is another client id's: nothing is sent; a break is recorded on the
   * instrument instead, for an operator (TWS, or a restart once the id is free).
   */
  refuseIfForeign(clientOrderId: string, what: 'cancel' | 'modify', symbol: string | undefined): boolean {
    if (this.foreignOwner(clientOrderId) === null) return false;
    const owner = this.owners.get(clientOrderId);
    const current = this.connectionInfo?.().clientId;
    const detail = `${what} of ${clientOrderId} not sent: it was placed under IB client id ${owner} and this session is client id ${current}; IB refuses cancels and modifies of another client's orders`;
    this.logger.error('reconciliation break: order of another client id', { orderId: clientOrderId, owner, clientId: current, request: what });
    this.breaks.record({ symbol: symbol ?? 'unknown', kind: 'foreign_client_order', detail, at: new Date().toISOString() }).catch((error: Error) =>
      this.logger.error('break not recorded', { orderId: clientOrderId, error: error.message }),
    );
    return true;
  }
}
