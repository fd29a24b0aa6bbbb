import type { EventBus } from '../supervision/eventBus.ts';
import { ConflatedOutput } from './conflatedOutput.ts';
import type { MarketDataEngine } from './marketDataEngine.ts';

export const marketDataTopic = (symbol: string): string => `market_data.${symbol}`;

/**
 * Publishes consolidated prices as `market_data.<symbol>` on the event bus, conflated to one per
 * instrument per `flushIntervalMs`: actors want the current price, not every tick.
 */
export function createEventBusOutput(engine: MarketDataEngine, bus: EventBus, flushIntervalMs = engine.config.outputs.eventBus.flushIntervalMs): ConflatedOutput {
  const topics = engine.instruments.all().map(marketDataTopic);
  return new ConflatedOutput(engine, flushIntervalMs, (prices) => {
    for (const price of prices) bus.publish(topics[engine.instruments.indexOf(price.symbol)]!, price);
  });
}
