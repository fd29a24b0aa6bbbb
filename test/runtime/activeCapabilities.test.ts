import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { Fence } from '../../src/lease/fence.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { ACTIVE_SUPERVISOR_ID, ActiveCapabilities } from '../../src/runtime/activeCapabilities.ts';
import type { Capability } from '../../src/runtime/capabilities/capability.ts';
import { NodeTree } from '../../src/runtime/nodeTree.ts';
import type { ChildSpec } from '../../src/supervision/childSpec.ts';
import { supervisor } from '../../src/supervision/supervisorLogic.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A capability that records what is asked of it, with an empty supervisor as its subtree. */
function recorder(name: string, journal: string[], options: { failStart?: boolean; failSpec?: boolean; subtree?: boolean } = {}): Capability {
  return {
    name,
    childSpec(): ChildSpec | null {
      journal.push(`${name}.childSpec`);
      if (options.failSpec) throw new Error(`${name}: bad config`);
      return options.subtree === false ? null : supervisor(`sub-${name}`, { children: [] });
    },
    async start() {
      journal.push(`${name}.start`);
      if (options.failStart) throw new Error(`${name} failed to start`);
    },
    async stop() {
      journal.push(`${name}.stop`);
    },
  };
}

async function activeOver(capabilities: Capability[]) {
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: {} });
  const node = await NodeTree.start({ config, logger: createSilentLogger(), root: { children: [] } });
  cleanups.push(() => node.tree.forceStop());
  const fence = new Fence('test:fence');
  fence.hold(7, Number.POSITIVE_INFINITY);
  // Told to forget the active parts' cancel-all and resume blocker when they stop; nothing halts here.
  const haltSwitch = { useActiveParts: () => undefined };
  return { node, active: new ActiveCapabilities({ config, node, fence, capabilities, haltSwitch, logger: createSilentLogger() }) };
}

describe('the capabilities the lease starts and stops as a unit', () => {
  it('builds every subtree under `active` before starting any capability in order, and stops them in reverse before ending `active`', async () => {
    const journal: string[] = [];
    const { node, active } = await activeOver([recorder('broker', journal), recorder('continuity', journal, { subtree: false }), recorder('orders', journal)]);
    await active.start(7);
    expect(journal).toEqual(['broker.childSpec', 'continuity.childSpec', 'orders.childSpec', 'broker.start', 'continuity.start', 'orders.start']);
    const tree = node.actorTree().children.find((child) => child.systemId === ACTIVE_SUPERVISOR_ID)!;
    expect(tree.children.map((child) => child.systemId)).toEqual(['sub-broker', 'sub-orders']);
    expect(active.token).toBe(7);

    journal.length = 0;
    await active.stop('handover');
    expect(journal).toEqual(['orders.stop', 'continuity.stop', 'broker.stop']);
    expect(node.tree.get(ACTIVE_SUPERVISOR_ID)).toBeUndefined();
    expect(active.token).toBeNull();
  });

  it('a capability that fails to start stops itself and every one before it, in reverse, and starts no more', async () => {
    const journal: string[] = [];
    const { node, active } = await activeOver([recorder('broker', journal), recorder('orders', journal, { failStart: true }), recorder('reports', journal)]);
    await expect(active.start(7)).rejects.toThrow('orders failed to start');
    expect(journal.filter((entry) => !entry.endsWith('childSpec'))).toEqual(['broker.start', 'orders.start', 'orders.stop', 'broker.stop']);
    expect(node.tree.get(ACTIVE_SUPERVISOR_ID)).toBeUndefined();
  });

  it('a subtree that cannot be built leaves nothing running: the capabilities already built are stopped, none started', async () => {
    const journal: string[] = [];
    const { node, active } = await activeOver([recorder('broker', journal), recorder('regulatory', journal, { failSpec: true }), recorder('reports', journal)]);
    await expect(active.start(7)).rejects.toThrow('regulatory: bad config');
    expect(journal).toEqual(['broker.childSpec', 'regulatory.childSpec', 'regulatory.stop', 'broker.stop']);
    expect(node.tree.get(ACTIVE_SUPERVISOR_ID)).toBeUndefined();
  });
});
