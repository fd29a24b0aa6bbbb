import type { LiveEventPayload, LiveEventType } from '../events/index.ts';
import { MARKET_DATA_ROLL_TOPIC, type MarketDataRoll } from '../marketdata/sources/ib/rollEvent.ts';
import { BREAK_TOPIC, type BreakChange } from '../orders/breakRegistry.ts';
import type { HaltChange } from '../orders/intakeHalt.ts';
import type { OrderStateMessage } from '../orders/schema/orderStateMessage.ts';
import { LEVEL_TOPICS } from '../regulatory/monitoring/levelAlerts.ts';
import type { EventBus } from '../supervision/eventBus.ts';
import { CONNECTION_HEALTH_TOPIC, type ConnectionHealthChange } from './connectionHealthTopic.ts';
import { INTAKE_HALT_TOPIC } from './intakeHaltTopic.ts';

export type RecordLiveEvent = <T extends LiveEventType>(type: T, payload: LiveEventPayload<T>) => void;

type LevelAlert = Omit<LiveEventPayload<'reportable'>, 'at'>;

const SUBSCRIBER = 'live-events';

/**
 * Which bus topics become which live events: every one of them is already published by its own
 * domain, so recording is one subscription each (see the README's Events section for the types).
 */
export function recordLiveEvents(bus: EventBus, record: RecordLiveEvent): () => void {
  const now = () => new Date().toISOString();
  const unsubscribes = [
    bus.subscribe<OrderStateMessage>(
      'order.*',
      ({ clientOrderId, state, filledQuantity, averagePrice, at }, topic) => {
        // `order.fill` is a publication of fills (their execution events come from the fills stream), not a state.
        if (topic === 'order.fill') return;
        record('order', { clientOrderId, state, filledQuantity, averagePrice, at });
      },
      SUBSCRIBER,
    ),
    bus.subscribe<BreakChange>(
      BREAK_TOPIC,
      ({ symbol, kind, detail, state, at }) => record('break', { symbol, reason: kind, detail, state, at }),
      SUBSCRIBER,
    ),
    bus.subscribe<HaltChange>(
      INTAKE_HALT_TOPIC,
      ({ halted, cause, reason, who, at }) => record('halt', { halted, cause, reason, who, at }),
      SUBSCRIBER,
    ),
    bus.subscribe<LevelAlert>(LEVEL_TOPICS.reportable, (alert) => record('reportable', { ...alert, at: now() }), SUBSCRIBER),
    bus.subscribe<LevelAlert>(LEVEL_TOPICS.belowLevel, (alert) => record('reportable', { ...alert, at: now() }), SUBSCRIBER),
    bus.subscribe<ConnectionHealthChange>(CONNECTION_HEALTH_TOPIC, (change) => record('connection', change), SUBSCRIBER),
    bus.subscribe<MarketDataRoll>(MARKET_DATA_ROLL_TOPIC, (roll) => record('roll', roll), SUBSCRIBER),
  ];
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
