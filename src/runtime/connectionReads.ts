import type { AnyActorRef } from 'xstate';
import type { ConnectionView } from '../admin/schemas/connectionViews.ts';
import type { Config } from '../config/index.ts';
import { accountKind } from '../ib/accountKind.ts';
import { explainConnectionError } from '../ib/connectionHints.ts';
import type { IbConnectionContext } from '../machines/ib/ibConnectionTypes.ts';
import { BROKER_SUPERVISOR_ID, type BrokerSessions } from './capabilities/broker.ts';
import { connectionHealthOf } from './connectionHealthTopic.ts';
import type { NodeTree } from './nodeTree.ts';

interface ConnectionSnapshot {
  status: string;
  value: unknown;
  context: IbConnectionContext;
  children: Record<string, AnyActorRef | undefined>;
}

/** What the machine's context does not keep: when its last error came, and the farms reported since it connected. */
interface Observed {
  lastError: string | null;
  errorAt: string | null;
  farms: Map<string, boolean>;
  broken: readonly string[];
}

const topState = (value: unknown): string => (typeof value === 'string' ? value : (Object.keys(value ?? {})[0] ?? 'unknown'));

/**
 * `GET /connections`: each IB connection of the current broker start, from its actor's snapshot,
 * with what the snapshot alone does not say, observed from the start of each incarnation: when the
 * last error happened, and the data farms IB reported broken since the connection came up (and
 * whether each is back).
 */
export class ConnectionReads {
  private readonly observed = new Map<string, Observed>();

  constructor(private readonly deps: { node: NodeTree; broker: Pick<BrokerSessions, 'sessions'>; config: Config }) {
    deps.node.onChildStarted((supervisorId, childId) => {
      if (supervisorId !== BROKER_SUPERVISOR_ID || !deps.broker.sessions.has(childId)) return;
      const ref = deps.node.tree.get(childId);
      if (!ref) return;
      const observed: Observed = { lastError: null, errorAt: null, farms: new Map(), broken: [] };
      this.observed.set(childId, observed);
      const observe = (snapshot: ConnectionSnapshot) => {
        if (snapshot.status !== 'active') return;
        const { lastError, brokenFarms } = snapshot.context;
        if (lastError !== observed.lastError) {
          observed.lastError = lastError;
          observed.errorAt = lastError === null ? null : new Date().toISOString();
        }
        // Every IB message makes a new snapshot: the state is looked at only when there are farms to forget or news of them.
        if (brokenFarms === observed.broken && observed.farms.size === 0) return;
        if (topState(snapshot.value) !== 'connected') observed.farms.clear();
        else if (brokenFarms !== observed.broken) {
          for (const farm of observed.broken) if (!brokenFarms.includes(farm)) observed.farms.set(farm, true);
          for (const farm of brokenFarms) observed.farms.set(farm, false);
        }
        observed.broken = brokenFarms;
      };
      observe(ref.getSnapshot() as ConnectionSnapshot);
      ref.subscribe({ next: (snapshot) => observe(snapshot as ConnectionSnapshot), error: () => undefined });
    });
  }

  read(): ConnectionView[] {
    const { node, broker, config } = this.deps;
    const views: ConnectionView[] = [];
    for (const [id, session] of broker.sessions) {
      const ref = node.tree.get(id);
      if (!ref) continue;
      const snapshot = ref.getSnapshot() as ConnectionSnapshot;
      if (!snapshot.context) continue;
      const { context } = snapshot;
      const gateway = context.gateways[context.gatewayIndex] ?? null;
      const clientId = context.clientIds[context.clientIdIndex] ?? null;
      const kind = accountKind(context.accounts);
      const observed = this.observed.get(id);
      const breakerState = (snapshot.children?.breaker?.getSnapshot() as { value?: unknown } | undefined)?.value;
      views.push({
        id,
        gateway: gateway ? { host: gateway.host, port: gateway.port } : null,
        clientId,
        accounts: [...context.accounts],
        accountType: kind === 'UNKNOWN' ? null : kind,
        health: snapshot.status === 'active' ? connectionHealthOf(snapshot.value) : 'stopped',
        state: snapshot.status === 'active' ? topState(snapshot.value) : 'stopped',
        dataFarms: [...(observed?.farms ?? [])].map(([name, ok]) => ({ name, ok })),
        lastError: context.lastError === null ? null : { ...explainConnectionError(context.lastError, { gateway, clientId }), at: observed?.errorAt ?? new Date().toISOString() },
        breaker: typeof breakerState === 'string' ? { state: breakerState } : null,
        pacing: { ratePerSecond: session.currentRate, burst: config.broker.connection.pacing.burst, queued: session.queued },
      });
    }
    return views;
  }
}
