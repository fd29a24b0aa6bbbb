import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { orderStateMessageSchema } from '../../src/orders/schema/orderStateMessage.ts';
import { LIVE_EVENT_SCHEMAS, type LiveEventType } from '../../src/events/liveEventSchemas.ts';
import { MARKET_DATA_ROLL_TOPIC } from '../../src/marketdata/sources/ib/rollEvent.ts';
import { BREAK_TOPIC } from '../../src/orders/breakRegistry.ts';
import { IntakeHalt } from '../../src/orders/intakeHalt.ts';
import { LEVEL_TOPICS } from '../../src/regulatory/monitoring/levelAlerts.ts';
import { CONNECTION_HEALTH_TOPIC, connectionHealthOf } from '../../src/runtime/connectionHealthTopic.ts';
import { publishIntakeHalts } from '../../src/runtime/intakeHaltTopic.ts';
import { recordLiveEvents } from '../../src/runtime/liveEventSources.ts';
import { EventBus } from '../../src/supervision/eventBus.ts';

function recorder() {
  const bus = new EventBus();
  const recorded: { type: LiveEventType; payload: unknown }[] = [];
  const stop = recordLiveEvents(bus, (type, payload) => {
    // Every event matches its documented schema.
    LIVE_EVENT_SCHEMAS[type].parse(payload);
    recorded.push({ type, payload });
  });
  return { bus, recorded, stop };
}

const AT = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

describe('bus topics as live events', () => {
  it('order states: the order.<state> message as it is (order.fill is no state)', () => {
    const { bus, recorded } = recorder();
    const working = { clientOrderId: 'a', state: 'working', filledQuantity: 0, averagePrice: null, at: '2026-12-07T15:00:00.000Z' };
    const filled = { clientOrderId: 'a', state: 'filled', filledQuantity: 2, averagePrice: 5000.5, at: '2026-12-07T15:00:00.010Z' };
    bus.publish('order.working', working);
    bus.publish('order.fill', { clientOrderId: 'a', averagePrice: 5000.5, filledQuantity: 2 });
    bus.publish('order.filled', filled);
    expect(recorded).toEqual([
      { type: 'order', payload: working },
      { type: 'order', payload: filled },
    ]);
  });

  it('the order event is the published order-state message: the same fields, required alike', () => {
    const event = z.toJSONSchema(LIVE_EVENT_SCHEMAS.order) as { properties: object; required: string[] };
    const message = z.toJSONSchema(orderStateMessageSchema) as { properties: object; required: string[] };
    expect(Object.keys(event.properties).sort()).toEqual(Object.keys(message.properties).sort());
    expect([...event.required].sort()).toEqual([...message.required].sort());
  });

  it('breaks, halts, reportable-level alerts, connection health and rolls', () => {
    const { bus, recorded, stop } = recorder();
    bus.publish(BREAK_TOPIC, { symbol: 'ES', kind: 'overfill', detail: 'x', at: '2026-12-01T00:00:00.000Z', state: 'open' });
    const halt = new IntakeHalt();
    publishIntakeHalts(halt, bus);
    halt.halt('operator', 'halted by ann at ...: drill', { who: 'ann', reason: 'drill' });
    halt.clear('operator', { who: 'bob', reason: 'done' });
    const alert = { kind: 'reportable', account: 'DU1', symbol: 'ES', contractMonth: '202703', market: 'ES', commodity: 'E-MINI S&P', level: 25, net: 30 };
    bus.publish(LEVEL_TOPICS.reportable, alert);
    bus.publish(LEVEL_TOPICS.belowLevel, { ...alert, kind: 'belowLevel', net: 10 });
    bus.publish(CONNECTION_HEALTH_TOPIC, { connection: 'ib', health: 'degraded', at: '2026-12-01T00:00:00.000Z' });
    bus.publish(MARKET_DATA_ROLL_TOPIC, { symbol: 'ES', from: '202612', to: '202703', at: '2026-12-01T00:00:00.000Z', sourceId: 'ib' });
    stop();
    bus.publish(MARKET_DATA_ROLL_TOPIC, { symbol: 'NQ', from: '202612', to: '202703', at: '2026-12-01T00:00:00.000Z', sourceId: 'ib' });
    expect(recorded).toEqual([
      { type: 'break', payload: { symbol: 'ES', reason: 'overfill', detail: 'x', state: 'open', at: '2026-12-01T00:00:00.000Z' } },
      { type: 'halt', payload: { halted: true, cause: 'operator', reason: 'drill', who: 'ann', at: AT } },
      { type: 'halt', payload: { halted: false, cause: 'operator', reason: 'done', who: 'bob', at: AT } },
      { type: 'reportable', payload: { ...alert, at: AT } },
      { type: 'reportable', payload: { ...alert, kind: 'belowLevel', net: 10, at: AT } },
      { type: 'connection', payload: { connection: 'ib', health: 'degraded', at: '2026-12-01T00:00:00.000Z' } },
      { type: 'roll', payload: { symbol: 'ES', from: '202612', to: '202703', at: '2026-12-01T00:00:00.000Z', sourceId: 'ib' } },
    ]);
  });

  it('an intake halt by the runtime itself names it; clearing one of two causes leaves intake halted', () => {
    const bus = new EventBus();
    const changes: unknown[] = [];
    bus.subscribe('intake.halt', (change) => void changes.push(change));
    const halt = new IntakeHalt();
    publishIntakeHalts(halt, bus);
    halt.halt('redisStateLost', 'Redis lost its state');
    halt.halt('operator', 'halted by ann', { who: 'ann', reason: 'drill' });
    halt.clear('redisStateLost', { who: 'ann', reason: 'checked' });
    expect(halt.clear('nothing')).toBe(false);
    expect(changes).toEqual([
      { cause: 'redisStateLost', set: true, halted: true, who: 'tradewire', reason: 'Redis lost its state', at: AT },
      { cause: 'operator', set: true, halted: true, who: 'ann', reason: 'drill', at: AT },
      { cause: 'redisStateLost', set: false, halted: true, who: 'ann', reason: 'checked', at: AT },
    ]);
  });

  it("a connection's health is its `health` region while connected, else its state", () => {
    expect(connectionHealthOf({ connected: { health: 'ibServerLost', heartbeat: 'idle' } })).toBe('ibServerLost');
    expect(connectionHealthOf('backoff')).toBe('backoff');
    expect(connectionHealthOf({ failover: 'probing' })).toBe('failover');
  });
});
