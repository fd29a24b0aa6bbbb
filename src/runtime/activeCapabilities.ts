import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { HaltSwitch } from './haltSwitch.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import type { SubtreeFactory } from './mainTree.ts';
import type { Runtime } from './runtime.ts';
import type { RuntimeResources } from './runtimeResources.ts';
import { startContinuity, type Continuity } from './continuity/startContinuity.ts';
import { startOrders, type OrdersRuntime } from './ordersRuntime.ts';
import { startRegulatory, type RegulatoryRuntime } from './regulatoryRuntime.ts';
import { startReports, type ReportsRuntime } from './reportsRuntime.ts';
import { errorMessage } from '../shared/errorMessage.ts';

/** The supervisor the active node's capabilities run under (absent on a standby). */
export const ACTIVE_SUPERVISOR_ID = 'active';

/** What runs while this node holds the lease. */
export interface ActiveParts {
  token: number;
  continuity: Continuity | null;
  orders: OrdersRuntime | null;
  regulatory: RegulatoryRuntime | null;
  reports: ReportsRuntime | null;
  /** Stops watching the `active` supervisor (set once it runs). */
  unwatch?: () => void;
}

export interface ActiveCapabilitiesOptions {
  config: Config;
  resources: RuntimeResources;
  runtime: Runtime;
  /** Broker, market-data sources, orders, regulatory, reports: in start order. */
  subtrees: SubtreeFactory[];
  /** The node's halt switch (every node has one); the active parts give it cancel-all and the resume blocker. */
  haltSwitch: HaltSwitch;
  /** Told when the `active` supervisor ends on its own (it gave up on a child): the node must step down and start afresh. */
  onFailed?: (reason: string) => void;
  logger: Logger;
}

/**
 * The capabilities only the active node runs, started and stopped as one unit by the lease: the
 * broker connections, market-data sources, the order service and its actors, the regulatory
 * monitor and day close, report transmission, the dead-letter sweeps and the demo strategy.
 * Starts and stops never overlap: each waits for the one before.
 */
export class ActiveCapabilities {
  private parts: ActiveParts | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ActiveCapabilitiesOptions) {}

  get current(): ActiveParts | null {
    return this.parts;
  }

  start(token: number): Promise<void> {
    return this.serially(() => this.startNow(token));
  }

  stop(reason: string): Promise<void> {
    return this.serially(() => this.stopNow(reason));
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const next = this.chain.then(task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async startNow(token: number): Promise<void> {
    if (this.parts) return;
    const { config, resources, runtime, logger } = this.options;
    const startedAt = performance.now();
    resources.ibSessions.clear();
    const children = this.options.subtrees.map((factory) => factory(config, resources)).filter((spec): spec is ChildSpec => spec !== null);
    // Every order and cancel is checked against the lease at the instant it would be written.
    for (const session of resources.ibSessions.values()) session.gateOrderMessages(() => resources.fence.sendRefusal());
    const { intensity, periodMs, backoff } = config.supervision;
    // Temporary: the root never restarts it behind the lease's back. If it gives up, the lease
    // machine hears of it, stops every part and takes the lease again from a clean start.
    runtime.tree.startChild(runtime.tree.rootId, { ...supervisor(ACTIVE_SUPERVISOR_ID, { strategy: 'one_for_one', intensity, periodMs, backoff, children }), restart: 'temporary' });
    const activeRef = runtime.tree.get(ACTIVE_SUPERVISOR_ID);
    if (!activeRef) throw new Error(`the ${ACTIVE_SUPERVISOR_ID} supervisor did not start (is one still stopping?)`);
    const parts: ActiveParts = { token, continuity: null, orders: null, regulatory: null, reports: null };
    this.parts = parts;
    const watch = activeRef.subscribe({
      next: (snapshot: { status: string }) => {
        if (snapshot.status !== 'active' && this.parts === parts) this.options.onFailed?.(`the ${ACTIVE_SUPERVISOR_ID} supervisor ended (${snapshot.status})`);
      },
      error: (error: unknown) => {
        if (this.parts === parts) this.options.onFailed?.(`the ${ACTIVE_SUPERVISOR_ID} supervisor failed: ${errorMessage(error)}`);
      },
    });
    parts.unwatch = () => watch.unsubscribe();
    const removeStarting = runtime.addReadinessCheck('capabilities', () => ['active: capabilities are starting']);
    // How long each part took to start: a takeover's time is their sum.
    const phases: Record<string, number> = {};
    const timed = async <T>(name: string, start: () => Promise<T>): Promise<T> => {
      // The lease may be lost while starting: nothing more is started for a token that is gone.
      if (resources.fence.token !== token) throw new Error(`the lease (token ${token}) was lost while the capabilities started`);
      const from = performance.now();
      const started = await start();
      phases[`${name}Ms`] = Math.round(performance.now() - from);
      return started;
    };
    try {
      // Before intake: a store found lost at start halts intake before any job is taken.
      const continuity = await timed('continuity', () => startContinuity(config, resources, this.options.haltSwitch));
      parts.continuity = continuity;
      parts.orders = await timed('orders', () => startOrders(config, runtime, resources));
      if (parts.orders) continuity.attachOrders(parts.orders.service);
      const regulatory = await timed('regulatory', () => startRegulatory(config, runtime, resources));
      parts.regulatory = regulatory;
      parts.reports = await timed('reports', () => startReports(config, runtime, resources, regulatory.engines));
      if (parts.reports) regulatory.useReports(parts.reports);
    } catch (error) {
      await this.stopNow('capabilities failed to start');
      throw error;
    } finally {
      removeStarting();
    }
    logger.info('active: capabilities started', { fencing: token, startMs: Math.round(performance.now() - startedAt), ...phases });
  }

  private async stopNow(reason: string): Promise<void> {
    const parts = this.parts;
    if (!parts) return;
    this.parts = null;
    const { resources, runtime, logger } = this.options;
    const startedAt = performance.now();
    parts.unwatch?.();
    // First: a cancel-all asked now waits in the store for the next active node, instead of being
    // asked of actors whose messages the fence already drops.
    this.options.haltSwitch.useActiveParts(null);
    // Reverse of start: intake first, so no new order arrives while actors stop. Each step runs
    // whatever the one before did: a half-stopped node must never keep a worker or a gateway session.
    const step = async (name: string, stop: (() => Promise<void>) | undefined) => {
      try {
        await stop?.();
      } catch (error) {
        logger.error('a capability did not stop cleanly; stopping the rest', { capability: name, error: errorMessage(error) });
      }
    };
    await step('reports', parts.reports ? () => parts.reports!.stop() : undefined);
    await step('regulatory', parts.regulatory ? () => parts.regulatory!.stop() : undefined);
    await step('orders', parts.orders ? () => parts.orders!.stop() : undefined);
    await step('continuity', parts.continuity ? () => parts.continuity!.stop() : undefined);
    await step('active subtree', () => this.terminateActiveSubtree(runtime));
    for (const session of resources.ibSessions.values()) session.gateOrderMessages(null);
    resources.ibSessions.clear();
    logger.info('capabilities stopped', { reason, fencing: parts.token, stopMs: Math.round(performance.now() - startedAt) });
  }

  /** Terminates the `active` supervisor and waits until it (and every actor under it) is gone. */
  private async terminateActiveSubtree(runtime: Runtime): Promise<void> {
    // Always asked, even when it is not running: the root forgets the spec with it.
    runtime.tree.terminateChild(runtime.tree.rootId, ACTIVE_SUPERVISOR_ID);
    while (runtime.tree.get(ACTIVE_SUPERVISOR_ID)) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
