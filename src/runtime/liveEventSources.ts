import type { LiveEventPayload, LiveEventType } from '../events/index.ts';
import { TERMINAL_ORDER_STATES } from '../machines/orders/orderMachine.ts';
import { MARKET_DATA_ROLL_TOPIC, type MarketDataRoll } from '../marketdata/sources/ib/rollEvent.ts';
import { BREAK_TOPIC, type BreakChange } from '../orders/breakRegistry.ts';
import type { HaltChange } from '../orders/intakeHalt.ts';
import { LEVEL_TOPICS } from '../regulatory/monitoring/levelAlerts.ts';
import type { EventBus } from '../supervision/eventBus.ts';
import { CONNECTION_HEALTH_TOPIC, type ConnectionHealthChange } from './connectionHealthTopic.ts';
import { INTAKE_HALT_TOPIC } from './intakeHaltTopic.ts';

export type RecordLiveEvent = <T extends LiveEventType>(type: T, payload: LiveEventPayload<T>) => void;

/** `order.<state>` as liveOrders publishes it. */
interface OrderStateMessage {
  clientOrderId: string;
  state: string;
  filledQuantity: number;
}

/** What a live event takes of `order.fill` (fillAssembly): the order's average price so far. */
interface OrderFillMessage {
  clientOrderId: string;
  averagePrice: number | null;
}

type LevelAlert = Omit<LiveEventPayload<'reportable'>, 'at'>;

const TERMINAL = new Set<string>(TERMINAL_ORDER_STATES);
const SUBSCRIBER = 'live-events';

/**
 * Which bus topics become which live events: every one of them is already published by its own
 * domain, so recording is one subscription each (see the README's Events section for the types).
 * An order's average price is taken from its `order.fill`, which comes just before the state
 * change of the same transition.
 */
export function recordLiveEvents(bus: EventBus, record: RecordLiveEvent): () => void {
  const averagePrices = new Map<string, number>();
  const now = () => new Date().toISOString();
  const unsubscribes = [
    bus.subscribe<OrderFillMessage>(
      'order.fill',
      ({ clientOrderId, averagePrice }) => {
        if (averagePrice !== null) averagePrices.set(clientOrderId, averagePrice);
      },
      SUBSCRIBER,
    ),
    bus.subscribe<OrderStateMessage>(
      'order.*',
      ({ clientOrderId, state, filledQuantity }, topic) => {
        if (topic === 'order.fill') return;
        const averagePrice = filledQuantity > 0 ? averagePrices.get(clientOrderId) : undefined;
        if (TERMINAL.has(state)) averagePrices.delete(clientOrderId);
        record('order', { clientOrderId, state, filledQuantity, ...(averagePrice !== undefined ? { averagePrice } : {}), at: now() });
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
