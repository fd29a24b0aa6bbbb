import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SupervisionHooks } from '../supervision/services';
import type { DeadLetterChannel } from '../supervision/deadLetters';
import type { EventBus } from '../supervision/eventBus';

/** Prometheus metrics of one runtime, on its own registry so several runtimes (tests) don't collide. */
export class RuntimeMetrics {
  readonly registry = new Registry();
  readonly restarts = new Counter({ name: 'tradewire_restarts_total', help: 'Child restarts, by supervisor and child', labelNames: ['supervisor', 'child'], registers: [this.registry] });
  readonly escalations = new Counter({ name: 'tradewire_escalations_total', help: 'Supervisors that exceeded their restart intensity', labelNames: ['supervisor'], registers: [this.registry] });
  readonly childFailures = new Counter({ name: 'tradewire_child_failures_total', help: 'Children that exited with an error', labelNames: ['supervisor', 'child'], registers: [this.registry] });
  readonly shutdownOverruns = new Counter({ name: 'tradewire_shutdown_overruns_total', help: 'Children force-stopped after overrunning their shutdown timeout', labelNames: ['child'], registers: [this.registry] });
  readonly deadLetters = new Counter({ name: 'tradewire_dead_letters_total', help: 'Events that could not be delivered, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly eventsDelivered = new Counter({ name: 'tradewire_events_delivered_total', help: 'Events delivered to actors through their addresses (admin, bus, CLI)', labelNames: ['source'], registers: [this.registry] });
  readonly busFailures = new Counter({ name: 'tradewire_bus_subscriber_failures_total', help: 'Event-bus subscribers that threw', labelNames: ['subscriber'], registers: [this.registry] });
  readonly actors: Gauge;

  constructor(countActors: () => { running: number; total: number }) {
    this.actors = new Gauge({
      name: 'tradewire_actors',
      help: 'Supervised actors, by status',
      labelNames: ['status'],
      registers: [this.registry],
      collect() {
        const { running, total } = countActors();
        this.set({ status: 'running' }, running);
        this.set({ status: 'not_running' }, total - running);
      },
    });
    // Includes nodejs_eventloop_lag_seconds and its percentiles.
    collectDefaultMetrics({ register: this.registry, prefix: 'tradewire_', eventLoopMonitoringPrecision: 20 });
  }

  hooks(): SupervisionHooks {
    return {
      restarted: (supervisor, child) => this.restarts.inc({ supervisor, child }),
      escalated: (supervisor) => this.escalations.inc({ supervisor }),
      childExited: (supervisor, child, reason) => {
        if (reason === 'error') this.childFailures.inc({ supervisor, child });
      },
      shutdownOverrun: (_supervisor, child) => this.shutdownOverruns.inc({ child }),
    };
  }

  observe(deadLetters: DeadLetterChannel, bus: EventBus): void {
    deadLetters.onDeadLetter((letter) => this.deadLetters.inc({ reason: letter.reason }));
    bus.onSubscriberFailure((failure) => this.busFailures.inc({ subscriber: failure.subscriber }));
  }
}
