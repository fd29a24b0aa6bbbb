import type { ActorLogic, ActorSystem, AnyActorRef, EventObject, Snapshot } from 'xstate';

type AnyActorSystem = ActorSystem<any>;
import { resolveSupervisorOptions, type ChildSpec, type SupervisorOptions } from './childSpec.ts';
import { attachServices, servicesOf, SERVICES, type SupervisionServices } from './services.ts';
import { INIT_EVENT, SupervisorCore, type ChildView, type SupervisorPhase } from './supervisorCore.ts';
import { markGraceful } from './shutdownProtocol.ts';
import { NO_INJECTED_EVENTS } from './actorProfiles.ts';

export interface SupervisorInput extends SupervisorOptions {
  [SERVICES]?: SupervisionServices;
}

export interface SupervisorContext {
  strategy: string;
  children: ChildView[];
  restartsInPeriod: number;
}

export type SupervisorSnapshot = Snapshot<undefined> & {
  value: SupervisorPhase;
  context: SupervisorContext;
};

/** Per-actor mutable state lives outside the snapshot, as XState's own callback logic does. */
const cores = new WeakMap<AnyActorRef, SupervisorCore>();

function present(core: SupervisorCore, status: SupervisorSnapshot['status']): SupervisorSnapshot {
  return {
    status,
    output: undefined,
    error: undefined,
    value: core.phase,
    context: {
      strategy: core.strategy,
      // Built when read (inspector, /actors), not on every transition: an orders supervisor has thousands of children.
      get children() {
        return core.childViews();
      },
      restartsInPeriod: core.restartsInPeriod(),
    },
  } as SupervisorSnapshot;
}

/** An OTP-style supervisor as XState actor logic, so supervisors nest in one actor system. */
export const supervisorLogic: ActorLogic<SupervisorSnapshot, EventObject, SupervisorInput, AnyActorSystem> = markGraceful({
  getInitialSnapshot(scope, input) {
    const own = input?.[SERVICES];
    if (own) attachServices(scope.system, own);
    const core = new SupervisorCore(resolveSupervisorOptions(input ?? { children: [] }), scope, own ?? servicesOf(scope.system));
    cores.set(scope.self, core);
    return present(core, 'active');
  },
  start(_snapshot, scope) {
    // Children start in the first transition, so the snapshot reflects them when start() returns.
    scope.self.send({ type: INIT_EVENT });
  },
  transition(snapshot, event, scope) {
    const core = cores.get(scope.self);
    if (!core || snapshot.status !== 'active') return snapshot;
    core.handle(event);
    if (event.type === 'xstate.stop') return present(core, 'stopped');
    return present(core, core.phase === 'done' ? 'done' : 'active');
  },
  getPersistedSnapshot(snapshot) {
    return snapshot;
  },
});

export interface SupervisorChildOptions extends Omit<ChildSpec, 'id' | 'logic' | 'input' | 'kind' | 'eventSchema'> {}

/**
 * A child spec for a nested supervisor. Like OTP, supervisors wait for their subtree to stop.
 * Supervisors take no event from outside: a forged exit, timer or shutdown would make one restart
 * or stop children that are fine (the root, which has no spec, refuses them too).
 */
export function supervisor(id: string, options: SupervisorOptions, child: SupervisorChildOptions = {}): ChildSpec {
  return { id, logic: supervisorLogic, input: options, kind: 'supervisor', shutdown: Infinity, eventSchema: NO_INJECTED_EVENTS, ...child };
}
