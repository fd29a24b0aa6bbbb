import { Counter, Registry } from 'prom-client';
import { z, type ZodType } from 'zod';
import { InjectedEventPolicy } from '../../src/runtime/injectedEventPolicy.ts';
import { orderEventSchema } from '../../src/orders/schema/orderEvents.ts';
import { ibConnectionEventSchema } from '../../src/runtime/capabilities/ibConnectionChild.ts';
import type { ActorNode, DeliveryResult, InjectedEvent, Readiness, RuntimeView } from '../../src/admin/runtimeView.ts';
import { ActorProfiles } from '../../src/supervision/actorProfiles.ts';

export interface DeliveredEvent {
  systemId: string;
  event: InjectedEvent;
  requestId: string;
}

/** The sample tree's declared event schemas; `market-data` stands for an actor that takes any event type. */
export function sampleEventSchemas(): Record<string, ZodType> {
  // As the order service declares on each order's child spec.
  return { 'ib-connection': ibConnectionEventSchema, 'market-data': z.looseObject({ type: z.string() }), 'order:carry.ES.1': orderEventSchema };
}

/**
 * A stand-in runtime for admin API tests: a fixed tree, a settable readiness, and a record of
 * deliveries. Actors whose status is 'restarting' buffer, as the real runtime does. Injected events
 * are judged by the runtime's own policy over the schemas given (the root and supervisors take none).
 */
export class FakeRuntimeView implements RuntimeView {
  readonly metricsRegistry = new Registry();
  readonly delivered: DeliveredEvent[] = [];
  readinessState: Readiness = { ready: true, reasons: [] };
  private readonly injectedCounter: Counter;

  private readonly policy: InjectedEventPolicy;

  constructor(
    readonly tree: ActorNode = sampleTree(),
    eventSchemas: Record<string, ZodType> = sampleEventSchemas(),
  ) {
    const profiles = new ActorProfiles();
    for (const [systemId, eventSchema] of Object.entries(eventSchemas)) profiles.register(systemId, { eventSchema });
    this.policy = new InjectedEventPolicy(profiles, { brokerEventInjection: false });
    this.injectedCounter = new Counter({
      name: 'tradewire_test_injected_events_total',
      help: 'Events injected through the fake runtime',
      registers: [this.metricsRegistry],
    });
  }

  readiness(): Readiness {
    return this.readinessState;
  }

  actorTree(): ActorNode {
    return this.tree;
  }

  validateEvent(systemId: string, event: InjectedEvent): string | null {
    return findNode(this.tree, systemId) ? this.policy.problemWith(systemId, event) : null;
  }

  deliver(systemId: string, event: InjectedEvent, meta: { requestId: string }): DeliveryResult {
    const node = findNode(this.tree, systemId);
    if (!node) return 'unknown';
    this.delivered.push({ systemId, event, requestId: meta.requestId });
    this.injectedCounter.inc();
    return node.status === 'restarting' ? 'buffered' : 'delivered';
  }
}

function findNode(node: ActorNode, systemId: string): ActorNode | undefined {
  if (node.systemId === systemId) return node;
  for (const child of node.children) {
    const found = findNode(child, systemId);
    if (found) return found;
  }
  return undefined;
}

export function sampleTree(): ActorNode {
  return {
    systemId: 'root',
    kind: 'supervisor',
    state: null,
    status: 'running',
    restarts: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    children: [
      {
        systemId: 'ib-connection',
        kind: 'ib-connection',
        state: { connected: 'streaming' },
        status: 'running',
        restarts: 2,
        startedAt: '2026-01-01T00:00:01.000Z',
        children: [],
      },
      {
        systemId: 'market-data',
        kind: 'machine',
        state: 'reconnecting',
        status: 'restarting',
        restarts: 5,
        startedAt: null,
        children: [],
      },
    ],
  };
}
