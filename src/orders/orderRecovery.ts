import type { Logger } from '../log/logger.ts';
import type { IbSession } from '../ib/session/ibSession.ts';
import type { SupervisionTree } from '../supervision/supervisionTree.ts';
import type { OrderContext } from '../machines/orders/orderTypes.ts';
import { orderActorId, sendToOrder } from './orderActorIds.ts';
import type { BreakRegistry } from './breakRegistry.ts';
import type { ClientIdOwners } from './clientIdOwners.ts';
import type { LiveOrders } from './liveOrders.ts';
import type { OrderStore } from './orderStore.ts';
import type { PositionBook } from './positionBook.ts';
import { Reconciler, type ReconcileReport } from './reconciler.ts';

export interface OrderRecoveryDeps {
  tree: SupervisionTree;
  session: IbSession;
  store: OrderStore;
  live: LiveOrders;
  positions: PositionBook;
  breaks: BreakRegistry;
  owners: ClientIdOwners;
  logger: Logger;
}

/**
 * Orders come back and stay true to the broker: open orders are restored from the store on start
 * (a restart or a takeover), the broker's positions seed the position book before intake judges
 * any order, every reconnect reconciles with the broker, and a Redis that lost its data gets the
 * live orders written again.
 */
export class OrderRecovery {
  private readonly reconciler: Reconciler;
  private stopped = false;
  private stopReconciling: (() => void) | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private breaksRefresh: NodeJS.Timeout | null = null;
  private foreignPoll: NodeJS.Timeout | null = null;

  constructor(private readonly deps: OrderRecoveryDeps) {
    this.reconciler = new Reconciler({
      session: deps.session,
      store: deps.store,
      positions: deps.positions,
      breaks: deps.breaks,
      // A pass still running as the service stops (a handover) has no actors left to tell: the next
      // active node reconciles the same executions.
      deliver: (clientOrderId, event) => {
        if (!this.stopped) deps.tree.send(orderActorId(clientOrderId), event);
      },
      logger: deps.logger,
    });
  }

  /** Restores the open orders, then keeps them reconciled; resolves once they are back. */
  async start(): Promise<void> {
    const { live, session, positions, breaks, owners } = this.deps;
    await this.restoreOpenOrders();
    this.stopReconciling = session.onReadiness((ready) => {
      if (!ready) return;
      if (positions.seeded) this.scheduleReconcile(0);
      // Orders held while IB was out of reach go now; the others ignore it.
      for (const clientOrderId of live.ids()) sendToOrder(this.deps.tree, clientOrderId, { type: 'connection.ready' });
    });
    // Breaks are cleared from the CLI (another process): pick that up without a round trip per order.
    this.breaksRefresh = setInterval(() => {
      breaks.refresh().catch(() => undefined);
    }, 2_000);
    this.breaksRefresh.unref();
    // An order another client id placed (adopted after a takeover) reports its fills to that client
    // and the master only: while one is live here, the broker's executions are read every 2 s.
    this.foreignPoll = setInterval(() => {
      if (positions.seeded && [...live.ids()].some((clientOrderId) => owners.foreignOwner(clientOrderId) !== null)) this.scheduleReconcile(0);
    }, 2_000);
    this.foreignPoll.unref();
  }

  /** The first reconciliation: the position limits need the broker's positions before any order is judged. */
  async seedPositions(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        const report = await this.reconciler.run();
        if (report.recheck) this.scheduleReconcile(1_000);
        return;
      } catch (error) {
        // A failed broker answer is never read as "no positions": intake waits and asks again.
        if (attempt === 1) this.deps.logger.warn('positions not seeded from the broker yet; intake waits', { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 250 * attempt)).unref());
      }
    }
  }

  /** One reconciliation pass now (also used by tests and the CLI). */
  reconcile(): Promise<ReconcileReport> {
    return this.reconciler.run();
  }

  /**
   * Redis lost its data (see the continuity check): every order this process holds is written
   * again from memory, send attempts included, so the at-most-one-live rule still holds; then the
   * broker is asked what it has. Intake stays halted until an operator resumes it.
   */
  async recoverFromStateLoss(): Promise<{ rewritten: number }> {
    const { tree, store, live, logger } = this.deps;
    let rewritten = 0;
    for (const [clientOrderId, { spec, receivedAt }] of live.entries()) {
      const snapshot = tree.get(orderActorId(clientOrderId))?.getSnapshot() as { status?: string; value?: unknown; context?: OrderContext } | undefined;
      const context = snapshot?.status === 'active' ? snapshot.context : store.lastSaved(clientOrderId);
      if (!context) continue;
      const state = snapshot?.status === 'active' && typeof snapshot.value === 'string' ? snapshot.value : 'inDoubt';
      await store.rewrite(spec, state, context, receivedAt);
      rewritten += 1;
    }
    logger.info('live orders written again after the Redis state loss', { rewritten });
    await this.reconciler.run();
    return { rewritten };
  }

  stop(): void {
    this.stopped = true;
    this.stopReconciling?.();
    if (this.breaksRefresh) clearInterval(this.breaksRefresh);
    if (this.foreignPoll) clearInterval(this.foreignPoll);
    if (this.reconcileTimer) clearTimeout(this.reconcileTimer);
    this.reconcileTimer = null;
  }

  private async restoreOpenOrders(): Promise<void> {
    const { store, live, logger } = this.deps;
    const open = await store.openOrderIds();
    // Read in one pipelined batch: a takeover restores every open order before it carries on.
    const loaded = await Promise.all(open.map((clientOrderId) => store.load(clientOrderId)));
    let restored = 0;
    for (const [index, clientOrderId] of open.entries()) {
      const stored = loaded[index];
      if (!stored || store.isTerminal(stored.state) || live.has(clientOrderId)) continue;
      live.startStored(stored);
      restored += 1;
    }
    if (restored > 0) logger.info('open orders recovered', { count: restored });
  }

  private scheduleReconcile(delayMs: number): void {
    if (this.reconcileTimer) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = null;
      this.reconciler.run().then(
        (report) => {
          if (report.recheck) this.scheduleReconcile(1_000);
        },
        (error: Error) => {
          // A failed broker answer is never read as "nothing there": try again shortly.
          this.deps.logger.warn('reconciliation failed; retrying', { error: error.message });
          this.scheduleReconcile(1_000);
        },
      );
    }, delayMs);
    this.reconcileTimer.unref?.();
  }
}
