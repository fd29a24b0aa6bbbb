import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SupervisionHooks } from '../supervision/services.ts';
import type { DeadLetterChannel } from '../supervision/deadLetters.ts';
import type { EventBus } from '../supervision/eventBus.ts';
import type { ActorNode } from '../supervision/treeView.ts';
import type { OrderMetrics } from '../orders/orderMetrics.ts';
import { registerOrderMetrics } from './orderMetrics.ts';

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
  readonly leaseTakeovers = new Counter({ name: 'tradewire_lease_takeovers_total', help: 'Times this node took the namespace lease and became active', registers: [this.registry] });
  readonly leaseLosses = new Counter({
    name: 'tradewire_lease_losses_total',
    help: 'Times this node lost the lease while active and stepped down (renewal refused, local expiry after a pause or stall, a fenced write)',
    labelNames: ['cause'],
    registers: [this.registry],
  });
  readonly actors: Gauge;
  readonly ibConnected: Gauge;
  readonly ibCounters: Counter;
  readonly orders: OrderMetrics;
  private fills = 0;

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
      labelNames: ['system_id', 'health', 'gateway', 'client_id'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const node of ibConnections()) {
          const details = node.details ?? {};
          this.set(
            {
              system_id: node.systemId,
              health: String(details.health ?? 'disconnected'),
              gateway: String(details.gateway ?? ''),
              client_id: String(details.clientId ?? ''),
            },
            1,
          );
        }
      },
    });
    // A counter that restarts from zero with the connection actor: Prometheus' rate() takes resets in its stride.
    this.ibCounters = new Counter({
      name: 'tradewire_ib_connection_events_total',
      help: "IB connection events since the connection actor's last start, by event (connects, disconnects, halfOpenDetected, failovers, unknownCodes, ...)",
      labelNames: ['system_id', 'event'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const node of ibConnections()) {
          const counters = (node.details?.counters ?? {}) as Record<string, number>;
          for (const [event, value] of Object.entries(counters)) this.inc({ system_id: node.systemId, event }, value);
        }
      },
    });
    new Gauge({
      name: 'tradewire_ib_account_live',
      help: 'The kind of account each IB connection reports (managed accounts): 1 LIVE, 0 PAPER; absent while unknown',
      labelNames: ['system_id', 'account'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const node of ibConnections()) {
          const kind = node.details?.account;
          if (kind === 'LIVE' || kind === 'PAPER') this.set({ system_id: node.systemId, account: kind }, kind === 'LIVE' ? 1 : 0);
        }
      },
    });
    const self = this;
    new Counter({
      name: 'tradewire_fills_total',
      help: 'Fills assembled from broker executions and published (one per order fill, TWAP slices included)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(self.fills);
      },
    });
    this.orders = registerOrderMetrics(this.registry);
    // Includes nodejs_eventloop_lag_seconds and its percentiles.
    collectDefaultMetrics({ register: this.registry, prefix: 'tradewire_', eventLoopMonitoringPrecision: 20 });
    // Gauges named like counters; the same numbers by type are in tradewire_nodejs_active_{handles,requests,resources}.
    for (const kind of ['handles', 'requests', 'resources']) this.registry.removeSingleMetric(`tradewire_nodejs_active_${kind}_total`);
  }

  /** Gauges read from the runtime at scrape time: the node's role, its fencing token and the halt switch. */
  observeState(state: { active: () => boolean; fencingToken: () => number | null; haltCauses: () => string[] }): void {
    new Gauge({
      name: 'tradewire_lease_role',
      help: 'This node\'s role in its namespace: 1 for the current one (active: holds the lease; standby), 0 for the other',
      labelNames: ['role'],
      registers: [this.registry],
      collect() {
        const active = state.active();
        this.set({ role: 'active' }, active ? 1 : 0);
        this.set({ role: 'standby' }, active ? 0 : 1);
      },
    });
    new Gauge({
      name: 'tradewire_lease_fencing_token',
      help: 'The fencing token of the lease this node holds (each takeover in the namespace increments it); absent on a standby',
      registers: [this.registry],
      collect() {
        this.reset();
        const token = state.fencingToken();
        if (token !== null) this.set(token);
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
    bus.subscribe('order.fill', () => void (this.fills += 1), 'metrics.fills');
    deadLetters.onDeadLetter((letter) => this.deadLetters.inc({ reason: letter.reason }));
    bus.onSubscriberFailure((failure) => this.busFailures.inc({ subscriber: failure.subscriber }));
  }
}
