import type { NewOrderInput } from '../src/orders/schema/index.ts';
import type { SeededRandom } from '../src/shared/seededRandom.ts';
import { CHAOS_EXPIRY, CHAOS_SYMBOLS } from './_instruments.ts';

export type OrderKind = 'MKT' | 'LMT' | 'STP' | 'TWAP' | 'CHASE';

/**
 * What the strategy does with a resting order: `cross` modifies the limit through the market (it
 * fills), `rest` moves it to another resting price, `cancel` cancels it. `from` is the moment the
 * step counts from: the broker first having the order working, or its submission (a TWAP parent
 * never reaches the broker itself).
 */
export interface PlanStep {
  action: 'cross' | 'rest' | 'cancel';
  afterMs: number;
  from: 'live' | 'submitted';
}

export interface PlannedOrder {
  clientOrderId: string;
  kind: OrderKind;
  job: NewOrderInput;
  quantity: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  plan: PlanStep[];
}

/** Prices and ticks of the market the orders are priced against (the simulator's). */
export interface MarketView {
  price(symbol: string): number;
  tickSize(symbol: string): number;
}

export const ACCOUNT = 'DU1234567';

/** Rounds to a whole number of ticks, up or down (the caller picks the side that keeps a price where it meant it). */
export function onTick(price: number, tick: number, direction: 'up' | 'down'): number {
  const ticks = direction === 'up' ? Math.ceil(price / tick - 1e-9) : Math.floor(price / tick + 1e-9);
  return Number((ticks * tick).toFixed(10));
}

/** A limit `pct` percent away from the market on the passive side (below for a buy). */
export function passiveLimit(market: MarketView, symbol: string, side: 'BUY' | 'SELL', pct: number): number {
  const price = market.price(symbol);
  const tick = market.tickSize(symbol);
  return side === 'BUY' ? onTick(price * (1 - pct / 100), tick, 'down') : onTick(price * (1 + pct / 100), tick, 'up');
}

/** A limit through the market by `pct` percent (it fills at once), within the price collar. */
export function crossingLimit(market: MarketView, symbol: string, side: 'BUY' | 'SELL', pct = 0.3): number {
  const price = market.price(symbol);
  const tick = market.tickSize(symbol);
  return side === 'BUY' ? onTick(price * (1 + pct / 100), tick, 'up') : onTick(price * (1 - pct / 100), tick, 'down');
}

const between = (rng: SeededRandom, min: number, max: number) => min + rng.next() * (max - min);

/**
 * One order of the stream, every kind in the mix: market, resting limit (later crossed, moved
 * and/or cancelled), stop (cancelled if it has not triggered), TWAP (sometimes cancelled midway)
 * and limit-chase. Everything random comes from `rng`, so a seed replays the same stream.
 */
export function planOrder(rng: SeededRandom, index: number, runId: string, market: MarketView): PlannedOrder {
  const symbol = CHAOS_SYMBOLS[rng.int(0, CHAOS_SYMBOLS.length - 1)]!;
  const side = rng.next() < 0.5 ? 'BUY' : 'SELL';
  const roll = rng.next();
  const kind: OrderKind = roll < 0.3 ? 'MKT' : roll < 0.6 ? 'LMT' : roll < 0.75 ? 'STP' : roll < 0.87 ? 'TWAP' : 'CHASE';
  const clientOrderId = `${runId}.${index}`;
  const base = { clientOrderId, account: ACCOUNT, instrument: { symbol, expiry: CHAOS_EXPIRY[symbol] }, side, strategy: 'chaos-matrix' } as const;
  const tick = market.tickSize(symbol);
  switch (kind) {
    case 'MKT': {
      const quantity = rng.int(1, 3);
      return { clientOrderId, kind, symbol, side, quantity, plan: [], job: { ...base, quantity, orderType: 'MKT' } };
    }
    case 'LMT': {
      const quantity = rng.int(1, 3);
      const limitPrice = passiveLimit(market, symbol, side, between(rng, 0.3, 1.5));
      const style = rng.next();
      const first = Math.round(between(rng, 400, 2_500));
      const plan: PlanStep[] =
        style < 0.35
          ? [{ action: 'cross', afterMs: first, from: 'live' }]
          : style < 0.7
            ? [{ action: 'cancel', afterMs: first, from: 'live' }]
            : [
                { action: 'rest', afterMs: first, from: 'live' },
                { action: 'cancel', afterMs: first + Math.round(between(rng, 400, 2_000)), from: 'live' },
              ];
      return { clientOrderId, kind, symbol, side, quantity, plan, job: { ...base, quantity, orderType: 'LMT', limitPrice } };
    }
    case 'STP': {
      const quantity = rng.int(1, 2);
      const price = market.price(symbol);
      const away = Math.max(tick, price * between(rng, 0.005, 0.05) / 100);
      const stopPrice = side === 'BUY' ? onTick(price + away, tick, 'up') : onTick(price - away, tick, 'down');
      const plan: PlanStep[] = [{ action: 'cancel', afterMs: Math.round(between(rng, 1_500, 4_000)), from: 'live' }];
      return { clientOrderId, kind, symbol, side, quantity, plan, job: { ...base, quantity, orderType: 'STP', stopPrice } };
    }
    case 'TWAP': {
      const quantity = rng.int(2, 4);
      const slices = rng.int(2, Math.min(quantity, 3));
      const durationMs = slices * Math.round(between(rng, 1_000, 1_600));
      const plan: PlanStep[] = rng.next() < 0.15 ? [{ action: 'cancel', afterMs: Math.round(durationMs / 2), from: 'submitted' }] : [];
      return { clientOrderId, kind, symbol, side, quantity, plan, job: { ...base, quantity, orderType: 'MKT', algorithm: { kind: 'twap', slices, durationMs } } };
    }
    case 'CHASE': {
      const quantity = rng.int(1, 2);
      const limitPrice = passiveLimit(market, symbol, side, between(rng, 0.05, 0.3));
      const repriceEveryMs = rng.int(250, 600);
      const deadlineMs = Math.max(repriceEveryMs, rng.int(1_500, 4_000));
      const atDeadline = rng.next() < 0.75 ? 'cross' : 'cancel';
      return {
        clientOrderId,
        kind,
        symbol,
        side,
        quantity,
        plan: [],
        job: { ...base, quantity, orderType: 'LMT', limitPrice, algorithm: { kind: 'limitChase', repriceEveryMs, deadlineMs, atDeadline } },
      };
    }
  }
}
