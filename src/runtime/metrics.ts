import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SupervisionHooks } from '../supervision/services.ts';
import type { DeadLetterChannel } from '../supervision/deadLetters.ts';
import type { EventBus } from '../supervision/eventBus.ts';
import type { ActorNode } from '../supervision/treeView.ts';

function* walk(node: ActorNode): Generator<ActorNode> {
  for (const child of node.children) {
    yield child;
    yield* walk(child);
  }
}

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
  readonly leaseAcquisitions = new Counter({ name: 'tradewire_lease_acquisitions_total', help: 'Times this node took the namespace lease and became active', registers: [this.registry] });
  readonly leaseLosses = new Counter({
    name: 'tradewire_lease_losses_total',
    help: 'Times this node lost the lease while active and stepped down (renewal refused, local expiry after a pause or stall, a fenced write)',
    labelNames: ['cause'],
    registers: [this.registry],
  });
  readonly actors: Gauge;
  readonly ibConnected: Gauge;
  readonly ibCounters: Gauge;

  constructor(describe: () => ActorNode) {
    this.actors = new Gauge({
      name: 'tradewire_actors',
      help: 'Supervised actors, by status',
      labelNames: ['status'],
      registers: [this.registry],
      collect() {
        let running = 0;
        let total = 0;
        for (const node of walk(describe())) {
          total += 1;
          if (node.status === 'running') running += 1;
        }
        this.set({ status: 'running' }, running);
        this.set({ status: 'not_running' }, total - running);
      },
    });
    const ibConnections = () => [...walk(describe())].filter((node) => node.kind === 'ib-connection');
    this.ibConnected = new Gauge({
      name: 'tradewire_ib_connection_health',
      help: 'IB connections: 1 for the current health (healthy, degraded, ibServerLost) or disconnected, with gateway and client id',
      labelNames: ['systemId', 'health', 'gateway', 'clientId'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const node of ibConnections()) {
          const details = node.details ?? {};
          this.set(
            {
              systemId: node.systemId,
              health: String(details.health ?? 'disconnected'),
              gateway: String(details.gateway ?? ''),
              clientId: String(details.clientId ?? ''),
            },
            1,
          );
        }
      },
    });
    this.ibCounters = new Gauge({
      name: 'tradewire_ib_connection_events',
      help: "IB connection counters since the connection actor's last start (connects, disconnects, halfOpenDetected, failovers, unknownCodes, ...)",
      labelNames: ['systemId', 'counter'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const node of ibConnections()) {
          const counters = (node.details?.counters ?? {}) as Record<string, number>;
          for (const [counter, value] of Object.entries(counters)) this.set({ systemId: node.systemId, counter }, value);
        }
      },
    });
    new Gauge({
      name: 'tradewire_ib_account_live',
      help: 'The kind of account each IB connection reports (managed accounts): 1 LIVE, 0 PAPER; absent while unknown',
      labelNames: ['systemId', 'account'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const node of ibConnections()) {
          const kind = node.details?.account;
          if (kind === 'LIVE' || kind === 'PAPER') this.set({ systemId: node.systemId, account: kind }, kind === 'LIVE' ? 1 : 0);
        }
      },
    });
    // Includes nodejs_eventloop_lag_seconds and its percentiles.
    collectDefaultMetrics({ register: this.registry, prefix: 'tradewire_', eventLoopMonitoringPrecision: 20 });
  }

  /** Gauges read from the runtime at scrape time: the node's role and the halt switch. */
  observeState(state: { active: () => boolean; haltCauses: () => string[] }): void {
    new Gauge({
      name: 'tradewire_node_active',
      help: 'Whether this node holds its namespace lease (1 active, 0 standby)',
      registers: [this.registry],
      collect() {
        this.set(state.active() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tradewire_intake_halted',
      help: 'Order intake halted (1) by cause (operator, redis_state_lost, ...); 0 with cause "none" when taking orders',
      labelNames: ['cause'],
      registers: [this.registry],
      collect() {
        this.reset();
        const causes = state.haltCauses();
        if (causes.length === 0) this.set({ cause: 'none' }, 0);
        for (const cause of causes) this.set({ cause }, 1);
      },
    });
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
