/**
 * A plain reference model of resilience4j's CircuitBreakerStateMachine (with automatic
 * open → halfOpen transition), written from its source and sharing nothing with src/: it keeps
 * every recorded call in a list and recomputes the window by filtering, so it is slow but
 * obviously right. The property test checks the machine against it step by step.
 */
export type ModelState = 'closed' | 'open' | 'halfOpen' | 'forcedOpen' | 'disabled';

export interface ModelConfig {
  failureRateThreshold: number;
  slowCallRateThreshold: number;
  slowCallDurationThresholdMs: number;
  permittedNumberOfCallsInHalfOpenState: number;
  slidingWindowType: 'COUNT_BASED' | 'TIME_BASED';
  slidingWindowSize: number;
  minimumNumberOfCalls: number;
  waitDurationInOpenStateMs: number;
  maxWaitDurationInHalfOpenStateMs: number;
}

interface RecordedCall {
  failed: boolean;
  slow: boolean;
  second: number;
}

/** resilience4j's CircuitBreakerMetrics: a window, its minimum, and the not-permitted count. */
interface Metrics {
  /** `none` is the zero-size window of forcedOpen and disabled: nothing is ever kept. */
  window: { kind: 'count'; size: number } | { kind: 'time'; seconds: number } | { kind: 'none' };
  minimumNumberOfCalls: number;
  recorded: RecordedCall[];
  notPermitted: number;
}

export interface ModelMetrics {
  bufferedCalls: number;
  successful: number;
  failed: number;
  slow: number;
  failureRate: number;
  slowCallRate: number;
  notPermitted: number;
  callsInHalfOpen: number;
}

export class CircuitBreakerModel {
  state: ModelState = 'closed';
  now = 0;
  private metrics: Metrics;
  private halfOpenPermitsLeft = 0;
  private halfOpenPermitsTaken = 0;
  /** When the open wait or the halfOpen max wait runs out; null when no timer runs. */
  private deadline: number | null = null;

  constructor(private readonly config: ModelConfig) {
    this.metrics = this.closedMetrics();
  }

  // --- what callers do -------------------------------------------------------------

  /** resilience4j's tryAcquirePermission. */
  tryAcquirePermission(): boolean {
    switch (this.state) {
      case 'closed':
      case 'disabled':
        return true;
      case 'halfOpen':
        if (this.halfOpenPermitsLeft > 0) {
          this.halfOpenPermitsLeft -= 1;
          this.halfOpenPermitsTaken += 1;
          return true;
        }
        this.metrics.notPermitted += 1;
        return false;
      case 'open':
      case 'forcedOpen':
        this.metrics.notPermitted += 1;
        return false;
    }
  }

  /** The same question without taking a permit. */
  wouldPermit(): boolean {
    return this.state === 'closed' || this.state === 'disabled' || (this.state === 'halfOpen' && this.halfOpenPermitsLeft > 0);
  }

  /** resilience4j's onSuccess / onError, with the call's duration; `now` is its completion time. */
  onResult(failed: boolean, durationMs: number): void {
    if (this.state === 'forcedOpen' || this.state === 'disabled') return;
    this.record({ failed, slow: durationMs > this.config.slowCallDurationThresholdMs, second: Math.floor(this.now / 1000) });
    if (this.state === 'open') return;
    const verdict = this.verdict();
    if (verdict === 'exceeded') this.toOpen();
    else if (verdict === 'below' && this.state === 'halfOpen') this.toClosed();
  }

  /** Moves time to `time`, firing the one timer if it falls due (a new state's timer starts then). */
  advanceTo(time: number): void {
    this.now = time;
    if (this.deadline === null || time < this.deadline) return;
    if (this.state === 'open') this.toHalfOpen();
    else if (this.state === 'halfOpen') this.toOpen();
  }

  nextDeadline(): number | null {
    return this.deadline;
  }

  // --- transitions (each re-creates the state, as resilience4j's stateTransition does) ---

  toClosed(): void {
    this.enter('closed', this.closedMetrics(), null);
  }

  reset(): void {
    this.toClosed();
  }

  /** The open state keeps the metrics of the state it came from. */
  toOpen(): void {
    this.enter('open', this.metrics, this.now + this.config.waitDurationInOpenStateMs);
  }

  toHalfOpen(): void {
    const permitted = this.config.permittedNumberOfCallsInHalfOpenState;
    const maxWait = this.config.maxWaitDurationInHalfOpenStateMs;
    this.enter(
      'halfOpen',
      this.freshMetrics({ kind: 'count', size: permitted }, Math.min(this.config.minimumNumberOfCalls, permitted)),
      maxWait >= 1 ? this.now + maxWait : null,
    );
    this.halfOpenPermitsLeft = permitted;
  }

  toForcedOpen(): void {
    this.enter('forcedOpen', this.freshMetrics({ kind: 'none' }, 0), null);
  }

  toDisabled(): void {
    this.enter('disabled', this.freshMetrics({ kind: 'none' }, 0), null);
  }

  // --- what is observed ------------------------------------------------------------

  observe(): ModelMetrics {
    const calls = this.windowCalls();
    const failed = calls.filter((c) => c.failed).length;
    const slow = calls.filter((c) => c.slow).length;
    const judged = calls.length > 0 && calls.length >= this.metrics.minimumNumberOfCalls;
    return {
      bufferedCalls: calls.length,
      successful: calls.length - failed,
      failed,
      slow,
      failureRate: judged ? (failed * 100) / calls.length : -1,
      slowCallRate: judged ? (slow * 100) / calls.length : -1,
      notPermitted: this.metrics.notPermitted,
      callsInHalfOpen: this.state === 'halfOpen' ? this.halfOpenPermitsTaken : 0,
    };
  }

  // --- internals -------------------------------------------------------------------

  private enter(state: ModelState, metrics: Metrics, deadline: number | null): void {
    this.state = state;
    this.metrics = metrics;
    this.deadline = deadline;
    this.halfOpenPermitsLeft = 0;
    this.halfOpenPermitsTaken = 0;
  }

  private closedMetrics(): Metrics {
    const { slidingWindowType, slidingWindowSize, minimumNumberOfCalls } = this.config;
    return slidingWindowType === 'COUNT_BASED'
      ? this.freshMetrics({ kind: 'count', size: slidingWindowSize }, Math.min(minimumNumberOfCalls, slidingWindowSize))
      : this.freshMetrics({ kind: 'time', seconds: slidingWindowSize }, minimumNumberOfCalls);
  }

  private freshMetrics(window: Metrics['window'], minimumNumberOfCalls: number): Metrics {
    return { window, minimumNumberOfCalls, recorded: [], notPermitted: 0 };
  }

  private record(call: RecordedCall): void {
    if (this.metrics.window.kind === 'none') return;
    const newest = this.metrics.recorded.at(-1)?.second ?? call.second;
    // A call finishing "before" the newest one lands in the newest second's bucket.
    this.metrics.recorded.push({ ...call, second: Math.max(call.second, newest) });
  }

  private windowCalls(): RecordedCall[] {
    const { window, recorded } = this.metrics;
    if (window.kind === 'none') return [];
    if (window.kind === 'count') return recorded.slice(-window.size);
    const newest = recorded.at(-1)?.second ?? 0;
    return recorded.filter((c) => c.second > newest - window.seconds);
  }

  private verdict(): 'tooFewCalls' | 'exceeded' | 'below' {
    const { failureRate, slowCallRate } = this.observe();
    if (failureRate === -1) return 'tooFewCalls';
    return failureRate >= this.config.failureRateThreshold || slowCallRate >= this.config.slowCallRateThreshold
      ? 'exceeded'
      : 'below';
  }
}
