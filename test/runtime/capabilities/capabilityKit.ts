import { createSilentLogger } from '../../../src/log/logger.ts';
import type { Capability } from '../../../src/runtime/capabilities/capability.ts';
import { createSupervisionServices } from '../../../src/supervision/services.ts';
import { SupervisionTree } from '../../../src/supervision/supervisionTree.ts';

/** A running tree with nothing under its root yet: capabilities are built over it, then run in it. */
export function emptyTree(): SupervisionTree {
  return new SupervisionTree({ root: { children: [] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
}

/** What the `active` supervisor does for a capability: its subtree under the root, then its start. */
export async function runCapability(tree: SupervisionTree, capability: Capability): Promise<void> {
  const spec = capability.childSpec();
  if (spec) tree.startChild(tree.rootId, spec);
  await capability.start();
}

/** Readiness checks as the Runtime keeps them, for a capability that adds one. */
export function readinessChecks() {
  const checks = new Map<string, () => string[]>();
  return {
    checks,
    addReadinessCheck(name: string, check: () => string[]) {
      checks.set(name, check);
      return () => checks.delete(name);
    },
  };
}
