import { z } from 'zod';
import { assign, setup, type SnapshotFrom } from 'xstate';
import { callOutcome } from './callOutcome.ts';
import { parseCircuitBreakerConfig, type CircuitBreakerConfig, type CircuitBreakerConfigInput } from './config.ts';
import { CountWindow } from './countWindow.ts';
import { createSlidingWindow, NoWindow, type SlidingWindow } from './slidingWindow.ts';
import { judgeWindow, reportedRate, thresholdsExceeded, type ThresholdVerdict } from './thresholds.ts';

export type CircuitBreakerState = 'closed' | 'open' | 'halfOpen' | 'forcedOpen' | 'disabled';

/** A finished call: how long it took and when it finished (ms; same clock for both). */
export interface CallResult {
  durationMs: number;
  at: number;
}

export type CircuitBreakerEvent =
  /** Takes one of halfOpen's permits; the caller checked `isCallPermitted` first. */
  | { type: 'call.started' }
  | ({ type: 'call.succeeded' } & CallResult)
  | ({ type: 'call.failed' } & CallResult)
  /** A call the breaker refused; counted, never recorded in the window. */
  | { type: 'call.rejected' }
  | { type: 'FORCE_OPEN' }
  | { type: 'DISABLE' }
  | { type: 'RESET' }
  | { type: 'TRANSITION_TO_CLOSED' }
  | { type: 'TRANSITION_TO_OPEN' }
  | { type: 'TRANSITION_TO_HALF_OPEN' };

/**
 * The operator's controls, the only events a breaker takes from outside (admin API, CLI): calls and
 * their outcomes are reported by the code that makes the calls, never injected.
 */
export const circuitBreakerEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('FORCE_OPEN') }),
  z.strictObject({ type: z.literal('DISABLE') }),
  z.strictObject({ type: z.literal('RESET') }),
  z.strictObject({ type: z.literal('TRANSITION_TO_CLOSED') }),
  z.strictObject({ type: z.literal('TRANSITION_TO_OPEN') }),
  z.strictObject({ type: z.literal('TRANSITION_TO_HALF_OPEN') }),
]);

export interface CircuitBreakerContext {
  readonly config: CircuitBreakerConfig;
  /**
   * Mutated in place when a call is recorded (no allocation per call), replaced when a state
   * starts afresh. Read the counters below rather than the window: they are per-snapshot.
   */
  window: SlidingWindow;
  /** Calls needed in `window` before its rates are judged. */
  minimumNumberOfCalls: number;
  verdict: ThresholdVerdict;
  successful: number;
  failed: number;
  /** Slow calls, successful or failed. */
  slow: number;
  bufferedCalls: number;
  /** Percent, or -1 until `minimumNumberOfCalls` are in the window (as resilience4j reports). */
  failureRate: number;
  slowCallRate: number;
  notPermitted: number;
  /** Permits taken in the current halfOpen period; 0 in every other state. */
  callsInHalfOpen: number;
}

function windowCounters(window: SlidingWindow, minimumNumberOfCalls: number) {
  const calls = window.numberOfCalls;
  return {
    successful: window.numberOfSuccessfulCalls,
    failed: window.numberOfFailedCalls,
    slow: window.numberOfSlowCalls,
    bufferedCalls: calls,
    failureRate: reportedRate(window.failureRate, calls, minimumNumberOfCalls),
    slowCallRate: reportedRate(window.slowCallRate, calls, minimumNumberOfCalls),
  };
}

/** Everything a state resets when it starts with a window of its own. */
function freshWindow(window: SlidingWindow, minimumNumberOfCalls: number) {
  return {
    window,
    minimumNumberOfCalls,
    verdict: 'belowMinimumCalls' as const,
    notPermitted: 0,
    callsInHalfOpen: 0,
    ...windowCounters(window, minimumNumberOfCalls),
  };
}

function closedWindow(config: CircuitBreakerConfig) {
  const window = createSlidingWindow(config.slidingWindowType, config.slidingWindowSize);
  // A count window can never hold more calls than its size, so that caps the minimum too.
  const minimum =
    config.slidingWindowType === 'COUNT_BASED'
      ? Math.min(config.minimumNumberOfCalls, config.slidingWindowSize)
      : config.minimumNumberOfCalls;
  return freshWindow(window, minimum);
}

/** resilience4j judges halfOpen on a count window of the permitted calls, whatever the closed window type. */
function halfOpenWindow(config: CircuitBreakerConfig) {
  const permitted = config.permittedNumberOfCallsInHalfOpenState;
  return freshWindow(new CountWindow(permitted), Math.min(config.minimumNumberOfCalls, permitted));
}

/**
 * resilience4j's CircuitBreaker state machine (closed, open, halfOpen, forcedOpen, disabled)
 * over a count- or time-based sliding window. Callers report calls as events; time comes in
 * through the events' `at` and the actor's clock (the open and halfOpen waits).
 */
export function createCircuitBreakerMachine(input: CircuitBreakerConfigInput = {}) {
  const config = parseCircuitBreakerConfig(input);

  const halfOpenTimeout =
    config.maxWaitDurationInHalfOpenStateMs > 0 ? { after: { maxWaitInHalfOpen: 'open' as const } } : {};

  return setup({
    types: {
      context: {} as CircuitBreakerContext,
      events: {} as CircuitBreakerEvent,
    },
    delays: {
      waitInOpen: config.waitDurationInOpenStateMs,
      maxWaitInHalfOpen: config.maxWaitDurationInHalfOpenStateMs,
    },
    guards: {
      thresholdsExceeded: ({ context }) => thresholdsExceeded(context.verdict),
      belowThresholds: ({ context }) => context.verdict === 'belowThresholds',
      halfOpenPermitLeft: ({ context }) => context.callsInHalfOpen < config.permittedNumberOfCallsInHalfOpenState,
    },
    actions: {
      // The one impurity, deliberately: the window is updated in place rather than copied per
      // call. Only this action writes to it, and only the counters copied out are per-snapshot.
      recordCall: assign(({ context, event }) => {
        if (event.type !== 'call.succeeded' && event.type !== 'call.failed') return {};
        const slow = event.durationMs > config.slowCallDurationThresholdMs;
        context.window.record(callOutcome(event.type === 'call.failed', slow), event.at);
        return {
          verdict: judgeWindow(context.window, context.minimumNumberOfCalls, config),
          ...windowCounters(context.window, context.minimumNumberOfCalls),
        };
      }),
      startClosedWindow: assign(() => closedWindow(config)),
      startHalfOpenWindow: assign(() => halfOpenWindow(config)),
      // forcedOpen and disabled record nothing, so they start with an empty, zero-size window.
      startNoWindow: assign(() => freshWindow(new NoWindow(), 0)),
      // open keeps the window (and its counters) that tripped it, as resilience4j does.
      forgetHalfOpenPermits: assign({ callsInHalfOpen: 0 }),
      takeHalfOpenPermit: assign({ callsInHalfOpen: ({ context }) => context.callsInHalfOpen + 1 }),
      countNotPermitted: assign({ notPermitted: ({ context }) => context.notPermitted + 1 }),
    },
  }).createMachine({
    id: 'circuit-breaker',
    // A factory, so no two actors of this machine ever share a window.
    context: () => ({ config, ...closedWindow(config) }),
    initial: 'closed',
    on: {
      'call.rejected': { actions: 'countNotPermitted' },
      // A root transition to a child exits the current child first, even when it is the same
      // one, so e.g. RESET while closed starts an empty window (resilience4j re-creates states too).
      RESET: '.closed',
      TRANSITION_TO_CLOSED: '.closed',
      TRANSITION_TO_OPEN: '.open',
      TRANSITION_TO_HALF_OPEN: '.halfOpen',
      FORCE_OPEN: '.forcedOpen',
      DISABLE: '.disabled',
    },
    states: {
      closed: {
        entry: 'startClosedWindow',
        always: { guard: 'thresholdsExceeded', target: 'open' },
        on: {
          'call.succeeded': { actions: 'recordCall' },
          'call.failed': { actions: 'recordCall' },
        },
      },
      open: {
        entry: 'forgetHalfOpenPermits',
        after: { waitInOpen: 'halfOpen' },
        on: {
          // Calls permitted before the breaker opened still finish; they are recorded, not judged.
          'call.succeeded': { actions: 'recordCall' },
          'call.failed': { actions: 'recordCall' },
        },
      },
      halfOpen: {
        entry: 'startHalfOpenWindow',
        ...halfOpenTimeout,
        always: [
          { guard: 'thresholdsExceeded', target: 'open' },
          { guard: 'belowThresholds', target: 'closed' },
        ],
        on: {
          'call.started': { guard: 'halfOpenPermitLeft', actions: 'takeHalfOpenPermit' },
          'call.succeeded': { actions: 'recordCall' },
          'call.failed': { actions: 'recordCall' },
        },
      },
      forcedOpen: { entry: 'startNoWindow' },
      disabled: { entry: 'startNoWindow' },
    },
  });
}

export type CircuitBreakerMachine = ReturnType<typeof createCircuitBreakerMachine>;
export type CircuitBreakerSnapshot = SnapshotFrom<CircuitBreakerMachine>;

export function breakerState(snapshot: CircuitBreakerSnapshot): CircuitBreakerState {
  return snapshot.value as CircuitBreakerState;
}

/** Whether a call may go ahead now; pure, so asking does not take a halfOpen permit. */
export function isCallPermitted(snapshot: CircuitBreakerSnapshot): boolean {
  switch (breakerState(snapshot)) {
    case 'closed':
    case 'disabled':
      return true;
    case 'halfOpen':
      return snapshot.context.callsInHalfOpen < snapshot.context.config.permittedNumberOfCallsInHalfOpenState;
    case 'open':
    case 'forcedOpen':
      return false;
  }
}
