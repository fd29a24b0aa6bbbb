import type { Redis } from 'ioredis';
import { BreakRegistry } from '../orders/breakRegistry.ts';
import { BrokerPositions } from '../orders/brokerPositions.ts';
import type { OrderService } from '../orders/orderService.ts';
import { positionsView, type PositionsView } from '../orders/positionsView.ts';
import type { IbSession } from '../ib/session/ibSession.ts';

export interface PositionReadsDeps {
  /** The order service while this node runs one (the orders capability); null otherwise. */
  service: () => OrderService | null;
  /** The order connection's session of the current start. */
  session: () => IbSession | undefined;
  redis: Redis;
  /** Reconciliation breaks (namespaceKeys().orderBreaks). */
  breaksKey: string;
}

/**
 * `GET /positions` on the node that runs the order service: its position book next to the broker's
 * positions (asked of IB at most once a second, see BrokerPositions), with the breaks as Redis
 * holds them now. Null without an order service (a standby, or orders off).
 */
export class PositionReads {
  private readonly breaks: BreakRegistry;
  /** The broker reader of the current service and session: a new term (or start) asks afresh. */
  private current: { service: OrderService; session: IbSession; broker: BrokerPositions } | null = null;

  constructor(private readonly deps: PositionReadsDeps) {
    this.breaks = new BreakRegistry(deps.redis, deps.breaksKey);
  }

  async read(): Promise<PositionsView | null> {
    const service = this.deps.service();
    if (!service) return null;
    const [broker] = await Promise.all([this.brokerFor(service)?.read() ?? null, this.breaks.refresh()]);
    return positionsView(service.positions.positions(), broker, this.breaks.breaks, Date.now());
  }

  private brokerFor(service: OrderService): BrokerPositions | null {
    const session = this.deps.session();
    if (!session) return null;
    if (this.current?.service !== service || this.current.session !== session) {
      const broker = new BrokerPositions({ snapshot: () => session.brokerSnapshot(), monthOf: (symbol, expiry) => service.positions.learnMonthOf(symbol, expiry) });
      this.current = { service, session, broker };
    }
    return this.current.broker;
  }
}
