import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { fromPromise } from 'xstate';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { ChildSpec } from '../supervision/childSpec.ts';
import { createLeaseMachine } from '../machines/lease/leaseMachine.ts';
import type { HoldInput, LeaseContext, ReleaseInput } from '../machines/lease/leaseTypes.ts';
import { awaitLeaseActor } from '../actors/lease/awaitLease.ts';
import { holdLeaseActor } from '../actors/lease/holdLease.ts';
import type { Fence } from '../lease/fence.ts';
import type { LeaseStore } from '../lease/leaseStore.ts';
import type { ActiveCapabilities } from './activeCapabilities.ts';
import type { RuntimeMetrics } from './metrics.ts';
import type { NodeRoleView } from '../admin/runtimeView.ts';
import { SHUTDOWN_EVENT } from '../supervision/shutdownProtocol.ts';

export const LEASE_ID = 'lease';

/** Nothing may be injected: acquiring, losing and handing over the lease are the world's doing. */
const leaseEventSchema = z.object({ type: z.literal(SHUTDOWN_EVENT) });

/** The node's name in the lease unless configured: unique per process, readable in logs. */
export function defaultNodeId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export interface LeaseChildDeps {
  config: Config;
  nodeId: string;
  store: LeaseStore;
  fence: Fence;
  capabilities: ActiveCapabilities;
  /** A new connection for the release channel (each standby wait subscribes on its own). */
  subscriber: () => Redis;
  metrics: RuntimeMetrics;
  /** Why order intake is halted, by cause (shown on the lease node: every node has one). */
  haltCauses: () => Record<string, string>;
  logger: Logger;
}

const causeOf = (reason: string): string =>
  reason.includes('fenced')
    ? 'fenced'
    : reason.includes('no longer')
      ? 'superseded'
      : reason.includes('supervisor')
        ? 'capabilities_failed'
        : reason.includes('capabilities')
          ? 'start_failed'
          : 'expired';

/** The lease as a supervised child: its machine with Redis and the capabilities injected. */
export function leaseChild(deps: LeaseChildDeps): ChildSpec {
  const { config, store, fence, capabilities, logger, metrics } = deps;
  const timing = { ttlMs: config.lease.ttlMs, renewMs: config.lease.renewMs };
  const input = { namespace: config.namespace, nodeId: deps.nodeId };
  const machine = createLeaseMachine({
    awaitLease: awaitLeaseActor({ store, fence, subscriber: deps.subscriber, timing, logger }),
    holdLease: holdLeaseActor({ store, fence, timing, logger }),
    startCapabilities: fromPromise<void, HoldInput>(async ({ input: held }) => {
      metrics.leaseTakeovers.inc();
      logger.info('active: this node holds the lease; starting capabilities', { namespace: config.namespace, nodeId: deps.nodeId, fencing: held.token });
      await capabilities.start(held.token);
    }),
    stopCapabilities: fromPromise<void, ReleaseInput>(async ({ input: release }) => {
      // First, before anything is stopped: no order or cancel leaves from here on.
      fence.drop();
      if (release.reason !== 'handover') {
        metrics.leaseLosses.inc({ cause: causeOf(release.reason) });
        logger.warn('lease lost: stepping down to standby', { namespace: config.namespace, nodeId: deps.nodeId, reason: release.reason });
      } else {
        logger.info('handing over: stopping capabilities, then releasing the lease', { namespace: config.namespace, nodeId: deps.nodeId });
      }
      await capabilities.stop(release.reason);
      if (release.value !== null) {
        const released = await store.release(release.value).catch(() => false);
        if (released) logger.info('lease released', { namespace: config.namespace, nodeId: deps.nodeId });
      }
    }),
  });
  return {
    id: LEASE_ID,
    kind: 'lease',
    logic: machine,
    // A restarted lease actor knows nothing of its predecessor's hold: whatever ran is stopped and
    // the lease given back before it waits again, so it never runs capabilities it does not hold.
    start: async ({ incarnation }) => {
      if (incarnation > 1) {
        fence.drop();
        await capabilities.stop('lease actor restarted');
        const last = Number(fence.scriptArg || 0);
        if (last > 0) await store.release(`${deps.nodeId}|${last}`).catch(() => false);
      }
      return input;
    },
    eventSchema: leaseEventSchema,
    shutdown: config.shutdownTimeoutMs,
    details: (snapshot: { context: LeaseContext; value: unknown }) => ({ ...nodeRoleOf(snapshot), intakeHalted: deps.haltCauses() }),
  };
}

/** The node's role from the lease actor's snapshot (`/actors`, `/ready`, `/active`). */
export function nodeRoleOf(snapshot: { context: LeaseContext; value: unknown }): NodeRoleView & { state: string; acquisitions: number; losses: number; lastLoss: string | null } {
  const { context } = snapshot;
  const state = typeof snapshot.value === 'string' ? snapshot.value : Object.entries(snapshot.value as Record<string, string>).map(([k, v]) => `${k}.${v}`).join(',');
  const active = state === 'holding.active';
  return {
    role: active ? 'active' : 'standby',
    state,
    namespace: context.namespace,
    nodeId: context.nodeId,
    token: active ? context.token : null,
    activeNodeId: context.activeNodeId,
    acquisitions: context.acquisitions,
    losses: context.losses,
    lastLoss: context.lastLoss,
  };
}
