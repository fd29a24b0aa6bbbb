import { createActor, type AnyActorRef, type AnyActorScope, type EventObject } from 'xstate';
import { resolveChildSpec, type ChildSpec, type ResolvedChildSpec, type ResolvedSupervisorOptions, type Strategy } from './childSpec.ts';
import { backoffDelay } from './backoff.ts';
import { childrenToRestart, forgetsSpecOnExit, shouldRestart, type ExitReason } from './restartPolicy.ts';
import { recordRestart } from './restartIntensity.ts';
import type { SupervisionServices } from './services.ts';
import { SHUTDOWN_EVENT, acceptsShutdown } from './shutdownProtocol.ts';
import { actorContext } from './asyncContainment.ts';

export const INIT_EVENT = 'tradewire.supervisor.init';
const SHUTDOWN_TIMEOUT_EVENT = 'tradewire.supervisor.shutdownTimeout';
const START_DUE_EVENT = 'tradewire.supervisor.startDue';
/** A child's async start function settled with its input: the incarnation can be created. */
const START_LOADED_EVENT = 'tradewire.supervisor.startLoaded';
/** A child's async code threw (see asyncContainment): treat it as the child failing. */
const CHILD_FAILED_EVENT = 'tradewire.supervisor.childFailed';
/** OTP's start_child/terminate_child: children added and removed at run time (e.g. one per order). */
export const START_CHILD_EVENT = 'tradewire.supervisor.startChild';
export const TERMINATE_CHILD_EVENT = 'tradewire.supervisor.terminateChild';
const DONE_PREFIX = 'xstate.done.actor.';
const ERROR_PREFIX = 'xstate.error.actor.';

export type ChildStatus = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped';
export type SupervisorPhase = 'starting' | 'running' | 'restarting' | 'stopping' | 'failed' | 'stopped' | 'done';

/** What the supervisor's snapshot says about one child. Replaced, never mutated, on change. */
export interface ChildView {
  id: string;
  kind: string;
  restart: ResolvedChildSpec['restart'];
  status: ChildStatus;
  /** New incarnations started after the first. */
  restarts: number;
  startedAt: number | null;
  lastError: string | null;
}

/** Thrown (and so reported to the parent) when restarts exceed the intensity. */
export class SupervisorEscalation extends Error {
  constructor(
    readonly supervisorId: string,
    readonly childId: string,
    readonly restartsInPeriod: number,
  ) {
    super(`supervisor '${supervisorId}' gave up: ${restartsInPeriod} restarts within its period (last failing child '${childId}')`);
    this.name = 'SupervisorEscalation';
  }
}

type Afterwards = 'hold' | 'retire';

type Step =
  | { op: 'start'; id: string }
  | { op: 'startLater'; ids: string[]; delayMs: number }
  | { op: 'stop'; id: string; afterwards: Afterwards }
  | { op: 'escalate'; childId: string }
  | { op: 'finish' };

interface Awaiting {
  id: string;
  actorId: string;
  afterwards: Afterwards;
  timerKey: string | null;
  shutdownMs: number;
}

/**
 * One supervisor's bookkeeping, after OTP's supervisor.erl. Work that changes children
 * (stops, starts) runs as an ordered list of steps, because a graceful stop may have to
 * wait for the child; exits that arrive meanwhile are decided once the list is done,
 * as OTP's supervisor decides them from its mailbox after a terminate.
 */
export class SupervisorCore {
  phase: SupervisorPhase = 'starting';
  private readonly views = new Map<string, ChildView>();
  /** Child specs in start order (a Map keeps insertion order, and forgetting one is O(1)). */
  private readonly specsById = new Map<string, ResolvedChildSpec>();
  /** The snapshot's child list, rebuilt only after a change (orders supervisors hold thousands). */
  private viewsCache: ChildView[] | null = null;
  private readonly live = new Map<string, { ref: AnyActorRef; actorId: string }>();
  /** Children whose start function is still running: child id -> the incarnation's actor id. */
  private readonly loading = new Map<string, string>();
  private readonly childByActorId = new Map<string, string>();
  private readonly incarnations = new Map<string, number>();
  private readonly childRestartTimes = new Map<string, number[]>();
  private restartHistory: number[] = [];
  private steps: Step[] = [];
  private awaiting: Awaiting | null = null;
  /** Children that died while steps were running, with why, in arrival order. */
  private readonly diedMeanwhile = new Map<string, { actorId: string; reason: ExitReason }>();
  /** Backoff-delayed starts: child id -> token of the start that is still wanted. */
  private readonly pendingStarts = new Map<string, number>();
  private startToken = 0;
  /** Children added at run time are forgotten once they end for good, as in simple_one_for_one. */
  private readonly dynamic = new Set<string>();
  private timerSeq = 0;

  constructor(
    private readonly options: ResolvedSupervisorOptions,
    private readonly scope: AnyActorScope,
    private readonly services: SupervisionServices,
  ) {
    for (const spec of options.children) {
      this.views.set(spec.id, initialView(spec));
      this.specsById.set(spec.id, spec);
    }
  }

  /** In start order; built on the rare paths that need the whole list (init, restarts, stop all). */
  private get specs(): ResolvedChildSpec[] {
    return [...this.specsById.values()];
  }

  get id(): string {
    return (this.scope.self as { systemId?: string }).systemId ?? this.scope.self.id;
  }

  get strategy(): Strategy {
    return this.options.strategy;
  }

  childViews(): ChildView[] {
    this.viewsCache ??= this.specs.map((spec) => this.views.get(spec.id)!);
    return this.viewsCache;
  }

  restartsInPeriod(): number {
    return this.restartHistory.length;
  }

  /** Handles one event; returns normally, or throws SupervisorEscalation to fail upward. */
  handle(event: EventObject): void {
    const type = event.type;
    if (type === INIT_EVENT) return this.init();
    if (type === SHUTDOWN_EVENT) return this.beginShutdown();
    if (type === 'xstate.stop') return this.stopAllNow();
    if (type === SHUTDOWN_TIMEOUT_EVENT) return this.shutdownTimedOut((event as unknown as { actorId: string }).actorId);
    if (type === START_DUE_EVENT) return this.startDue((event as unknown as { due: [string, number][] }).due);
    if (type === START_LOADED_EVENT) {
      const loaded = event as unknown as { actorId: string; input: unknown };
      return this.startLoaded(loaded.actorId, loaded.input);
    }
    if (type === START_CHILD_EVENT) return this.addChild((event as unknown as { spec: ChildSpec }).spec);
    if (type === TERMINATE_CHILD_EVENT) return this.terminateChild((event as unknown as { id: string }).id);
    if (type === CHILD_FAILED_EVENT) {
      const failure = event as unknown as { actorId: string; error: unknown };
      return this.childExited(failure.actorId, 'error', failure.error);
    }
    if (type.startsWith(ERROR_PREFIX)) {
      return this.childExited(type.slice(ERROR_PREFIX.length), 'error', (event as { error?: unknown }).error);
    }
    if (type.startsWith(DONE_PREFIX)) return this.childExited(type.slice(DONE_PREFIX.length), 'normal', undefined);
    this.services.logger.debug('supervisor ignored event', { systemId: this.id, eventType: type });
  }

  private addChild(raw: ChildSpec): void {
    if (this.phase === 'stopping' || this.phase === 'failed' || this.phase === 'done') {
      this.services.logger.warn('child not started: supervisor is stopping', { systemId: raw.id, supervisor: this.id });
      return;
    }
    if (this.specFor(raw.id)) {
      this.services.logger.warn('child not started: id already supervised', { systemId: raw.id, supervisor: this.id });
      return;
    }
    const spec = resolveChildSpec(raw);
    this.specsById.set(spec.id, spec);
    this.viewsCache = null;
    this.dynamic.add(spec.id);
    this.views.set(spec.id, initialView(spec));
    this.steps.push({ op: 'start', id: spec.id });
    this.runSteps();
  }

  /** Stops a child (gracefully, within its shutdown) and forgets its spec. */
  private terminateChild(id: string): void {
    const spec = this.specFor(id);
    if (!spec) return;
    spec.restart = 'temporary';
    this.steps.push({ op: 'stop', id, afterwards: 'retire' });
    this.runSteps();
  }

  private init(): void {
    for (const spec of this.specs) this.steps.push({ op: 'start', id: spec.id });
    this.phase = 'running';
    this.runSteps();
  }

  private childExited(actorId: string, reason: ExitReason, error: unknown): void {
    const childId = this.childByActorId.get(actorId);
    // An exit of an incarnation we already replaced or stopped: nothing to decide.
    if (childId === undefined) return;
    const requested = this.awaiting?.actorId === actorId;
    this.recordExit(childId, actorId, reason, error, requested);
    if (requested) return this.finishAwait();
    if (this.isBusy()) {
      this.diedMeanwhile.set(childId, { actorId, reason });
      return;
    }
    this.decideExit(childId, reason);
    this.runSteps();
  }

  private recordExit(childId: string, actorId: string, reason: ExitReason, error: unknown, requested: boolean): void {
    const dead = this.live.get(childId);
    if (dead && reason === 'error' && dead.ref !== this.scope.self) {
      // Failed from outside its own transitions (async code): it is still running, so stop it.
      if (dead.ref.getSnapshot().status === 'active') this.scope.stopChild(dead.ref);
      stopOrphans(dead.ref);
    }
    this.live.delete(childId);
    if (this.loading.get(childId) === actorId) this.loading.delete(childId);
    this.childByActorId.delete(actorId);
    const message = reason === 'error' ? describeError(error) : null;
    this.setView(childId, { status: 'stopped', startedAt: null, lastError: message ?? this.views.get(childId)?.lastError ?? null });
    this.services.hooks.childExited?.(this.id, childId, reason);
    if (reason === 'error') {
      this.services.logger.warn('child failed', { systemId: childId, supervisor: this.id, error: message });
    } else {
      this.services.logger.info(requested ? 'child stopped' : 'child exited', { systemId: childId, supervisor: this.id });
    }
  }

  /** OTP's do_restart and restart/2 for one exit, as steps. */
  private decideExit(childId: string, reason: ExitReason): void {
    if (this.phase === 'stopping' || this.phase === 'failed') return;
    const spec = this.specFor(childId);
    if (!spec) return;
    if (!shouldRestart(spec.restart, reason)) {
      this.services.addresses.retire(childId);
      if (forgetsSpecOnExit(spec.restart) || this.dynamic.has(childId)) this.forget(childId);
      return;
    }
    const { history, exceeded } = recordRestart(this.restartHistory, this.services.now(), this.options.intensity, this.options.periodMs);
    this.restartHistory = history;
    if (exceeded) return this.escalate(childId);

    const order = this.specs.map((s) => s.id);
    const affected = childrenToRestart(this.options.strategy, order, order.indexOf(childId));
    for (const id of [...affected].reverse()) {
      if (id === childId) continue;
      const temporary = this.specFor(id)!.restart === 'temporary';
      this.steps.push({ op: 'stop', id, afterwards: temporary ? 'retire' : 'hold' });
    }
    const toStart = affected.filter((id) => id === childId || this.specFor(id)!.restart !== 'temporary');
    for (const id of toStart) this.services.addresses.suspend(id, this.options.restartBufferSize);
    for (const id of toStart) this.setView(id, { status: 'restarting' });
    const delayMs = backoffDelay(this.recentRestartsOf(childId), this.options.backoff, this.services.random);
    this.noteRestartOf(childId);
    if (delayMs > 0) this.steps.push({ op: 'startLater', ids: toStart, delayMs });
    else for (const id of toStart) this.steps.push({ op: 'start', id });
  }

  private escalate(childId: string): void {
    this.phase = 'failed';
    this.services.hooks.escalated?.(this.id);
    this.services.logger.error('supervisor restart intensity exceeded; escalating', {
      systemId: this.id,
      child: childId,
      intensity: this.options.intensity,
      periodMs: this.options.periodMs,
    });
    this.replaceStepsWithStopAll({ op: 'escalate', childId });
  }

  private beginShutdown(): void {
    if (this.phase === 'stopping' || this.phase === 'done' || this.phase === 'failed') return;
    this.phase = 'stopping';
    this.services.logger.info('supervisor stopping', { systemId: this.id, children: this.live.size });
    this.replaceStepsWithStopAll({ op: 'finish' });
    this.runSteps();
  }

  /** Stop every running child in reverse start order, then `last`. */
  private replaceStepsWithStopAll(last: Step): void {
    this.pendingStarts.clear();
    this.diedMeanwhile.clear();
    if (this.awaiting) this.awaiting.afterwards = 'retire';
    this.steps = this.specs.reverse().map((spec): Step => ({ op: 'stop', id: spec.id, afterwards: 'retire' }));
    this.steps.push(last);
  }

  /** A start function still running: its result, when it comes, is dropped. */
  private cancelLoad(id: string): void {
    const actorId = this.loading.get(id);
    if (actorId === undefined) return;
    this.loading.delete(id);
    this.childByActorId.delete(actorId);
  }

  private stopAllNow(): void {
    for (const spec of this.specs.reverse()) {
      this.cancelLoad(spec.id);
      const child = this.live.get(spec.id);
      if (child) this.forceStop(spec.id, child.ref, child.actorId);
      this.services.addresses.retire(spec.id);
      this.setView(spec.id, { status: 'stopped', startedAt: null });
    }
    this.steps = [];
    this.awaiting = null;
    this.phase = 'stopped';
  }

  private isBusy(): boolean {
    return this.awaiting !== null || this.steps.length > 0;
  }

  private runSteps(): void {
    for (;;) {
      while (!this.awaiting && this.steps.length > 0) this.runStep(this.steps.shift()!);
      if (this.awaiting) break;
      const next = this.diedMeanwhile.entries().next();
      if (next.done) break;
      const [childId, { reason }] = next.value;
      this.diedMeanwhile.delete(childId);
      this.decideExit(childId, reason);
    }
    if (!this.isBusy() && (this.phase === 'restarting' || this.phase === 'starting')) this.phase = 'running';
    if (this.isBusy() && this.phase === 'running') this.phase = 'restarting';
  }

  private runStep(step: Step): void {
    switch (step.op) {
      case 'start':
        return this.startChild(step.id);
      case 'startLater':
        return this.scheduleStart(step.ids, step.delayMs);
      case 'stop':
        return this.stopChild(step.id, step.afterwards);
      case 'escalate':
        this.steps = [];
        throw new SupervisorEscalation(this.id, step.childId, this.restartHistory.length);
      case 'finish':
        this.phase = 'done';
        return;
    }
  }

  private startChild(id: string): void {
    const spec = this.specFor(id);
    if (!spec || this.live.has(id) || this.loading.has(id)) return;
    this.pendingStarts.delete(id);
    const incarnation = (this.incarnations.get(id) ?? 0) + 1;
    const actorId = `${id}#${incarnation}`;
    this.incarnations.set(id, incarnation);
    this.childByActorId.set(actorId, id);
    let input: unknown;
    try {
      input = spec.start ? spec.start({ incarnation }) : typeof spec.input === 'function' ? (spec.input as () => unknown)() : spec.input;
    } catch (error) {
      return this.failAtStart(id, actorId, error);
    }
    if (!isPromiseLike(input)) return this.spawn(id, spec, actorId, incarnation, input);
    // Loading durable state: hold what is sent to the child until the incarnation exists.
    this.loading.set(id, actorId);
    this.services.addresses.suspend(id, this.options.restartBufferSize);
    this.setView(id, { status: 'starting', startedAt: null });
    const self = this.scope.self;
    input.then(
      (loaded) => self.send({ type: START_LOADED_EVENT, actorId, input: loaded } as EventObject),
      (error: unknown) => self.send({ type: `${ERROR_PREFIX}${actorId}`, error } as EventObject),
    );
  }

  private startLoaded(actorId: string, input: unknown): void {
    const id = this.childByActorId.get(actorId);
    // Stopped or superseded while it loaded: the result belongs to no one.
    if (id === undefined || this.loading.get(id) !== actorId) return;
    this.loading.delete(id);
    const spec = this.specFor(id);
    if (!spec || this.phase === 'stopping' || this.phase === 'failed' || this.phase === 'done') return;
    this.spawn(id, spec, actorId, this.incarnations.get(id) ?? 1, input);
  }

  private failAtStart(id: string, actorId: string, error: unknown): void {
    // Only a taken systemId or a throwing start or input function gets here: the child failing at start.
    this.scope.self.send({ type: `${ERROR_PREFIX}${actorId}`, error });
    this.live.set(id, { ref: this.scope.self, actorId });
  }

  private spawn(id: string, spec: ResolvedChildSpec, actorId: string, incarnation: number, input: unknown): void {
    let ref: AnyActorRef;
    try {
      ref = createActor(spec.logic, { parent: this.scope.self, id: actorId, systemId: id, input }) as AnyActorRef;
    } catch (error) {
      return this.failAtStart(id, actorId, error);
    }
    this.live.set(id, { ref, actorId });
    this.setView(id, { status: 'running', startedAt: this.services.now(), restarts: incarnation - 1 });
    const supervisorRef = this.scope.self;
    const owner = {
      ref,
      fail: (error: Error) => supervisorRef.send({ type: CHILD_FAILED_EVENT, actorId, error } as EventObject),
    };
    actorContext.run(owner, () => ref.start());
    this.services.addresses.bind(id, ref, this.options.restartBufferSize);
    this.services.profiles.register(id, { eventSchema: spec.eventSchema, details: spec.details });
    this.services.hooks.childStarted?.(this.id, id, incarnation);
    if (incarnation > 1) {
      this.services.hooks.restarted?.(this.id, id);
      this.services.logger.info('child restarted', { systemId: id, supervisor: this.id, restarts: incarnation - 1 });
    } else {
      this.services.logger.debug('child started', { systemId: id, supervisor: this.id });
    }
  }

  private scheduleStart(ids: string[], delayMs: number): void {
    const due: [string, number][] = ids.map((id) => {
      this.startToken += 1;
      this.pendingStarts.set(id, this.startToken);
      return [id, this.startToken];
    });
    this.services.logger.info('restart delayed by backoff', { systemId: this.id, children: ids, delayMs });
    this.scope.system.scheduler.schedule(this.scope.self, this.scope.self, { type: START_DUE_EVENT, due } as EventObject, delayMs, this.nextTimerKey());
  }

  private startDue(due: [string, number][]): void {
    if (this.phase === 'stopping' || this.phase === 'failed' || this.phase === 'done') return;
    for (const [id, token] of due) {
      if (this.pendingStarts.get(id) === token) this.steps.push({ op: 'start', id });
    }
    this.runSteps();
  }

  private stopChild(id: string, afterwards: Afterwards): void {
    this.pendingStarts.delete(id);
    this.cancelLoad(id);
    const child = this.live.get(id);
    const spec = this.specFor(id);
    if (!child || !spec) {
      // Already dead: its exit is absorbed by this stop, as OTP's shutdown/2 does.
      this.diedMeanwhile.delete(id);
      return this.settleStopped(id, afterwards);
    }
    if (afterwards === 'hold') this.services.addresses.suspend(id, this.options.restartBufferSize);
    if (spec.shutdown === 'brutal' || !acceptsShutdown(spec.logic)) {
      this.forceStop(id, child.ref, child.actorId);
      return this.settleStopped(id, afterwards);
    }
    this.setView(id, { status: 'stopping' });
    const shutdownMs = spec.shutdown;
    const timerKey = Number.isFinite(shutdownMs) ? this.nextTimerKey() : null;
    this.awaiting = { id, actorId: child.actorId, afterwards, timerKey, shutdownMs };
    if (timerKey) {
      this.scope.system.scheduler.schedule(
        this.scope.self,
        this.scope.self,
        { type: SHUTDOWN_TIMEOUT_EVENT, actorId: child.actorId } as EventObject,
        shutdownMs,
        timerKey,
      );
    }
    child.ref.send({ type: SHUTDOWN_EVENT });
  }

  private shutdownTimedOut(actorId: string): void {
    const awaiting = this.awaiting;
    if (!awaiting || awaiting.actorId !== actorId) return;
    const child = this.live.get(awaiting.id);
    this.services.hooks.shutdownOverrun?.(this.id, awaiting.id);
    this.services.logger.warn('child overran its shutdown timeout; force-stopping', {
      systemId: awaiting.id,
      supervisor: this.id,
      shutdownMs: awaiting.shutdownMs,
    });
    awaiting.timerKey = null;
    if (child) this.forceStop(awaiting.id, child.ref, child.actorId);
    this.finishAwait();
  }

  private finishAwait(): void {
    const awaiting = this.awaiting!;
    if (awaiting.timerKey) this.scope.system.scheduler.cancel(this.scope.self, awaiting.timerKey);
    this.awaiting = null;
    this.settleStopped(awaiting.id, awaiting.afterwards);
    this.runSteps();
  }

  private forceStop(id: string, ref: AnyActorRef, actorId: string): void {
    this.live.delete(id);
    this.childByActorId.delete(actorId);
    if (ref !== this.scope.self) this.scope.stopChild(ref);
  }

  private settleStopped(id: string, afterwards: Afterwards): void {
    if (afterwards === 'hold') {
      this.setView(id, { status: 'restarting', startedAt: null });
      return;
    }
    this.services.addresses.retire(id);
    const spec = this.specFor(id);
    if (spec && (forgetsSpecOnExit(spec.restart) || this.dynamic.has(id))) this.forget(id);
    else this.setView(id, { status: 'stopped', startedAt: null });
  }

  private forget(id: string): void {
    this.services.profiles.forget(id);
    this.dynamic.delete(id);
    this.specsById.delete(id);
    this.viewsCache = null;
    this.views.delete(id);
  }

  private specFor(id: string): ResolvedChildSpec | undefined {
    return this.specsById.get(id);
  }

  private recentRestartsOf(id: string): number {
    const now = this.services.now();
    const times = (this.childRestartTimes.get(id) ?? []).filter((at) => now - at <= this.options.periodMs);
    this.childRestartTimes.set(id, times);
    return times.length;
  }

  private noteRestartOf(id: string): void {
    const times = this.childRestartTimes.get(id) ?? [];
    times.push(this.services.now());
    this.childRestartTimes.set(id, times);
  }

  private setView(id: string, patch: Partial<ChildView>): void {
    const current = this.views.get(id);
    if (!current) return;
    this.views.set(id, { ...current, ...patch });
    this.viewsCache = null;
  }

  private nextTimerKey(): string {
    this.timerSeq += 1;
    return `sup-${this.timerSeq}`;
  }
}

/**
 * XState does not stop a machine's invoked or spawned children when the machine errors,
 * so sockets and timers they own would outlive it. The supervisor reaps them.
 */
function stopOrphans(ref: AnyActorRef): void {
  const children = (ref.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> } | undefined)?.children;
  if (!children) return;
  for (const child of Object.values(children)) {
    (child as unknown as { _stop?: () => void } | undefined)?._stop?.();
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function initialView(spec: ResolvedChildSpec): ChildView {
  return { id: spec.id, kind: spec.kind, restart: spec.restart, status: 'stopped', restarts: 0, startedAt: null, lastError: null };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
