import type { AnyActorLogic } from 'xstate';
import type { ZodType } from 'zod';

/** OTP restart types: when a child that exits is started again. */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** How long a child may take to stop gracefully, or `brutal` to stop it at once. */
export type Shutdown = number | 'brutal';

export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface BackoffOptions {
  /** Delay before the first restart in a burst, in ms. 0 restarts at once. */
  minMs: number;
  maxMs: number;
  /** Fraction of the delay added or removed at random, 0..1. */
  jitter: number;
}

export interface StartInfo {
  /** 1 for the first start, then one more per restart. */
  incarnation: number;
}

/** A child of a supervisor, as data (OTP's child_spec). */
export interface ChildSpec {
  /** The systemId: the child is addressable as `system.get(id)`. */
  id: string;
  logic: AnyActorLogic;
  /** Input for each new incarnation; a function is called per start, so restarts get fresh input. */
  input?: unknown;
  /**
   * OTP's start function: runs on every start and restart and yields that incarnation's input,
   * so a restarted child reloads its durable state instead of replaying its first input. A value
   * returned synchronously starts the child at once; a promise leaves it `starting` (events sent
   * to it are held) until it settles, and a rejection is the child failing. Takes precedence over
   * `input`.
   */
  start?: (info: StartInfo) => unknown;
  restart?: RestartType;
  shutdown?: Shutdown;
  /** Free-form kind shown by `/actors`, e.g. 'ib-connection'. */
  kind?: string;
  /**
   * Schema for events injected from outside (admin API, CLI). An injected event that does not
   * match is refused with the schema's message instead of reaching the actor.
   */
  eventSchema?: ZodType;
  /** A summary of the actor's snapshot for `/actors` (e.g. current gateway, counters). */
  details?: (snapshot: any) => Record<string, unknown>;
}

export interface SupervisorOptions {
  strategy?: Strategy;
  /** More than `intensity` restarts within `periodMs` make the supervisor give up and escalate. */
  intensity?: number;
  periodMs?: number;
  backoff?: BackoffOptions;
  /** Events held per child while it restarts; more go to the dead-letter channel. */
  restartBufferSize?: number;
  children: ChildSpec[];
}

export const DEFAULT_SHUTDOWN_MS = 5_000;

export interface ResolvedChildSpec extends Required<Omit<ChildSpec, 'input' | 'start' | 'eventSchema' | 'details'>> {
  input?: unknown;
  start?: (info: StartInfo) => unknown;
  eventSchema?: ZodType;
  details?: (snapshot: any) => Record<string, unknown>;
}

export interface ResolvedSupervisorOptions {
  strategy: Strategy;
  intensity: number;
  periodMs: number;
  backoff: BackoffOptions;
  restartBufferSize: number;
  children: ResolvedChildSpec[];
}

export function resolveChildSpec(spec: ChildSpec): ResolvedChildSpec {
  return {
    id: spec.id,
    logic: spec.logic,
    input: spec.input,
    ...(spec.start ? { start: spec.start } : {}),
    restart: spec.restart ?? 'permanent',
    shutdown: spec.shutdown ?? DEFAULT_SHUTDOWN_MS,
    kind: spec.kind ?? inferKind(spec.logic),
    ...(spec.eventSchema ? { eventSchema: spec.eventSchema } : {}),
    ...(spec.details ? { details: spec.details } : {}),
  };
}

export function resolveSupervisorOptions(options: SupervisorOptions): ResolvedSupervisorOptions {
  const children = options.children.map(resolveChildSpec);
  const seen = new Set<string>();
  for (const child of children) {
    if (seen.has(child.id)) throw new Error(`duplicate child id '${child.id}' in supervisor spec`);
    seen.add(child.id);
  }
  // OTP's defaults: one_for_one, at most 1 restart in 5 s.
  return {
    strategy: options.strategy ?? 'one_for_one',
    intensity: options.intensity ?? 1,
    periodMs: options.periodMs ?? 5_000,
    backoff: options.backoff ?? { minMs: 0, maxMs: 0, jitter: 0 },
    restartBufferSize: options.restartBufferSize ?? 1_000,
    children,
  };
}

function inferKind(logic: AnyActorLogic): string {
  const id = (logic as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  return 'actor';
}
