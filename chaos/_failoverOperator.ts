import type { Redis } from 'ioredis';
import { namespaceKeys } from '../src/redis/namespaceKeys.ts';
import { BreakRegistry } from '../src/orders/breakRegistry.ts';
import { AdminClient } from './_admin.ts';
import type { FailoverCluster } from './_failoverNodes.ts';

/**
 * The operator's part after a takeover on a fallback IB client id: a cancel or modify of an order
 * the old client id placed is not sent (IB refuses it) and a `foreign_client_order` break locks
 * the instrument. The operator knows why (the order stays working under the old id, visible in
 * TWS) and clears the break through the active node's admin API, as `tradewire order clear-break
 * <symbol>` does, so trading in that instrument goes on. Any other kind of break is left in place
 * and reported once.
 */
export class ForeignBreakClearer {
  cleared = 0;
  private readonly reported = new Set<string>();
  private readonly registry: BreakRegistry;

  constructor(
    redis: Redis,
    namespace: string,
    private readonly cluster: FailoverCluster,
    private readonly token: string,
    private readonly note: (line: string) => void,
  ) {
    this.registry = new BreakRegistry(redis, namespaceKeys(namespace).orderBreaks);
  }

  async sweep(): Promise<void> {
    await this.registry.refresh();
    const foreign = this.registry.breaks.filter((found) => found.kind === 'foreign_client_order');
    for (const found of this.registry.breaks) {
      if (found.kind === 'foreign_client_order') continue;
      const key = `${found.symbol} ${found.kind} ${found.detail}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        this.note(`reconciliation break left in place: ${key}`);
      }
    }
    if (foreign.length === 0) return;
    // Only the active node clears breaks (a standby answers 503).
    const active = (await this.cluster.activeNodes())[0];
    if (!active?.adminUrl) return;
    const url = active.adminUrl;
    const admin = new AdminClient(() => url, this.token);
    for (const found of foreign) {
      const answer = await admin.call(`/breaks/${encodeURIComponent(found.symbol)}/clear`, {
        json: { reason: `chaos failover run: ${found.detail}`.slice(0, 2_000), operator: 'chaos-failover' },
        timeoutMs: 2_000,
      });
      if (answer.status === 200) this.cleared += 1;
    }
  }
}
