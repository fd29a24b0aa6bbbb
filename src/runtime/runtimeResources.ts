import { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import type { QuoteSource } from '../machines/orders/algorithms/quotes.ts';
import type { MarketDataService } from '../marketdata/marketDataService.ts';
import { IntakeHalt } from '../orders/intakeHalt.ts';
import { Fence } from '../lease/fence.ts';

/**
 * Long-lived things the subtrees share and that outlive any one actor incarnation:
 * the application's Redis connection and the data planes of IB connections.
 */
export class RuntimeResources {
  readonly redis: Redis;
  /** IB sessions by connection systemId, for the actors that send orders and requests. */
  readonly ibSessions = new Map<string, IbSession>();
  /** Set by the order service once it runs; read by the `orders` supervisor's /actors details. */
  ordersStatus: (() => Record<string, unknown>) | null = null;
  /** The market-data engine and its outputs while they run (built before the tree: sources feed it). */
  marketData: MarketDataService | null = null;
  /** Order intake's halt: set by the continuity guard (Redis lost its state) or an operator; read by the order service. */
  readonly intakeHalt = new IntakeHalt();
  /** This node's lease token and send deadline (see src/lease); unfenced until the lease runs. */
  fence: Fence = Fence.none();
  /** Consolidated prices for order collars and chasing: none while market data is not running. */
  readonly quotes: QuoteSource = {
    touch: (symbol) => {
      const price = this.marketData?.engine.touch(symbol);
      return price ? { bid: price.bid, ask: price.ask, last: price.price, tsMs: price.tsMs } : null;
    },
  };

  constructor(
    readonly logger: Logger,
    redisUrl: string,
    /** Names every connection this node opens (CLIENT LIST shows which node is which): `tw:<namespace>:<nodeId>`. */
    readonly redisConnectionName?: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, ...(redisConnectionName ? { connectionName: redisConnectionName } : {}) });
    this.redis.on('error', (error: Error) => logger.debug('redis client error', { error: error.message }));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
