import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Fence } from '../lease/fence.ts';
import type { HaltSwitch } from './haltSwitch.ts';
import { supervisor } from '../supervision/supervisorLogic.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import type { NodeTree } from './nodeTree.ts';
import type { Capability } from './capabilities/capability.ts';

/** The supervisor the active node's capabilities run under (absent on a standby). */
export const ACTIVE_SUPERVISOR_ID = 'active';

/** What runs while this node holds the lease. */
interface ActiveParts {
  token: number;
  /** The capabilities whose `start` was called, in start order: only these are stopped. */
  started: Capability[];
  /** Stops watching the `active` supervisor (set once it runs). */
  unwatch?: () => void;
}

export interface ActiveCapabilitiesOptions {
  config: Config;
  node: NodeTree;
  /** This node's lease token: nothing more is started for a token that is gone. */
  fence: Fence;
  /** Broker, market data, continuity, orders, regulatory, reports: in start order. */
  capabilities: readonly Capability[];
  /** The node's halt switch (every node has one); the active parts give it cancel-all and the resume blocker. */
  haltSwitch: Pick<HaltSwitch, 'useActiveParts'>;
  /** Told when the `active` supervisor ends on its own (it gave up on a child): the node must step down and start afresh. */
  onFailed?: (reason: string) => void;
  logger: Logger;
}

/**
 * The capabilities only the active node runs, started and stopped as one unit by the lease: their
 * subtrees under the `active` supervisor, then each capability's `start` in order; on stop, each
 * `stop` in reverse order, then the `active` supervisor. Starts and stops never overlap: each waits
 * for the one before.
 */
export class ActiveCapabilities {
  private parts: ActiveParts | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ActiveCapabilitiesOptions) {}

  /** The lease token the capabilities run under; null while they do not. */
  get token(): number | null {
    return this.parts?.token ?? null;
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
    const { config, node, fence, capabilities, logger } = this.options;
    const startedAt = performance.now();
    // Their child specs first, in start order: every subtree runs before any capability starts.
    const children: ChildSpec[] = [];
    const built: Capability[] = [];
    try {
      for (const capability of capabilities) {
        built.push(capability);
        const spec = capability.childSpec();
        if (spec) children.push(spec);
      }
    } catch (error) {
      // A subtree that cannot be built (a bad config block) leaves nothing behind from the others.
      for (const capability of built.reverse()) await capability.stop().catch(() => undefined);
      throw error;
    }
    const { intensity, periodMs, backoff } = config.supervision;
    // Temporary: the root never restarts it behind the lease's back. If it gives up, the lease
    // machine hears of it, stops every part and takes the lease again from a clean start.
    node.tree.startChild(node.tree.rootId, { ...supervisor(ACTIVE_SUPERVISOR_ID, { strategy: 'one_for_one', intensity, periodMs, backoff, children }), restart: 'temporary' });
    const activeRef = node.tree.get(ACTIVE_SUPERVISOR_ID);
    if (!activeRef) throw new Error(`the ${ACTIVE_SUPERVISOR_ID} supervisor did not start (is one still stopping?)`);
    const parts: ActiveParts = { token, started: [] };
    this.parts = parts;
    const watch = activeRef.subscribe({
      next: (snapshot: { status: string }) => {
        if (snapshot.status !== 'active' && this.parts === parts) this.options.onFailed?.(`the ${ACTIVE_SUPERVISOR_ID} supervisor ended (${snapshot.status})`);
      },
      error: (error: unknown) => {
        if (this.parts === parts) this.options.onFailed?.(`the ${ACTIVE_SUPERVISOR_ID} supervisor failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    parts.unwatch = () => watch.unsubscribe();
    const removeStarting = node.addReadinessCheck('capabilities', () => ['active: capabilities are starting']);
    // How long each part took to start: a takeover's time is their sum.
    const phases: Record<string, number> = {};
    try {
      for (const capability of capabilities) {
        // The lease may be lost while starting: nothing more is started for a token that is gone.
        if (fence.token !== token) throw new Error(`the lease (token ${token}) was lost while the capabilities started`);
        const from = performance.now();
        // Listed before it starts: one that fails half-way is stopped with the rest.
        parts.started.push(capability);
        await capability.start();
        phases[`${capability.name}Ms`] = Math.round(performance.now() - from);
      }
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
    const { node, logger } = this.options;
    const startedAt = performance.now();
    parts.unwatch?.();
    // First: a cancel-all asked now waits in the store for the next active node, instead of being
    // asked of actors whose messages the fence already drops.
    this.options.haltSwitch.useActiveParts(null);
    // Reverse of start: intake first, so no new order arrives while actors stop. Each step runs
    // whatever the one before did: a half-stopped node must never keep a worker or a gateway session.
    const step = async (name: string, stop: () => Promise<void>) => {
      try {
        await stop();
      } catch (error) {
        logger.error('a capability did not stop cleanly; stopping the rest', { capability: name, error: error instanceof Error ? error.message : String(error) });
      }
    };
    for (const capability of [...parts.started].reverse()) await step(capability.name, () => capability.stop());
    await step('active subtree', () => this.terminateActiveSubtree(node));
    logger.info('capabilities stopped', { reason, fencing: parts.token, stopMs: Math.round(performance.now() - startedAt) });
  }

  /** Terminates the `active` supervisor and waits until it (and every actor under it) is gone. */
  private async terminateActiveSubtree(node: NodeTree): Promise<void> {
    // Always asked, even when it is not running: the root forgets the spec with it.
    node.tree.terminateChild(node.tree.rootId, ACTIVE_SUPERVISOR_ID);
    while (node.tree.get(ACTIVE_SUPERVISOR_ID)) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
