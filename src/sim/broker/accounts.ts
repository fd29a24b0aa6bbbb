import type { Instrument } from '../../instruments/instruments.ts';
import type { PriceFeed } from '../market/priceFeed.ts';

export interface AccountConfig {
  id: string;
  cash: number;
  currency: string;
}

export interface Position {
  instrument: Instrument;
  /** Signed contracts. */
  qty: number;
  /** Average entry price in quoted units. */
  avgPrice: number;
  realizedPnl: number;
}

export interface PositionSnapshot {
  account: string;
  symbol: string;
  conId: number;
  qty: number;
  avgPrice: number;
  /** IB's avgCost for futures: average price times multiplier (per contract, in currency). */
  avgCost: number;
}

function pointValue(instrument: Instrument): number {
  return instrument.multiplier / instrument.priceMagnifier;
}

/** One account's cash and futures positions, with IB-style margin and P&L figures. */
export class Account {
  readonly id: string;
  readonly currency: string;
  cash: number;
  realizedPnl = 0;
  readonly positions = new Map<number, Position>();

  constructor(config: AccountConfig) {
    this.id = config.id;
    this.currency = config.currency;
    this.cash = config.cash;
  }

  position(instrument: Instrument): number {
    return this.positions.get(instrument.conId)?.qty ?? 0;
  }

  /** Books a fill; returns the realized P&L (gross of commission) or undefined if it only opened. */
  applyFill(instrument: Instrument, signedQty: number, price: number, commission: number): number | undefined {
    const current = this.positions.get(instrument.conId) ?? { instrument, qty: 0, avgPrice: 0, realizedPnl: 0 };
    let realized: number | undefined;
    if (current.qty === 0 || Math.sign(current.qty) === Math.sign(signedQty)) {
      const total = Math.abs(current.qty) + Math.abs(signedQty);
      current.avgPrice = (current.avgPrice * Math.abs(current.qty) + price * Math.abs(signedQty)) / total;
      current.qty += signedQty;
    } else {
      const closing = Math.min(Math.abs(signedQty), Math.abs(current.qty));
      realized = (price - current.avgPrice) * closing * Math.sign(current.qty) * pointValue(instrument);
      const flipped = Math.abs(signedQty) > Math.abs(current.qty);
      current.qty += signedQty;
      if (current.qty === 0) current.avgPrice = 0;
      else if (flipped) current.avgPrice = price;
      current.realizedPnl += realized;
      this.realizedPnl += realized;
      this.cash += realized;
    }
    this.cash -= commission;
    this.positions.set(instrument.conId, current);
    return realized;
  }

  unrealizedPnl(feed: PriceFeed): number {
    let total = 0;
    for (const p of this.positions.values()) {
      total += (feed.price(p.instrument) - p.avgPrice) * p.qty * pointValue(p.instrument);
    }
    return total;
  }

  /** Futures: equity with loan value equals net liquidation (cash plus open P&L). */
  equity(feed: PriceFeed): number {
    return this.cash + this.unrealizedPnl(feed);
  }

  /** Margin for the current positions, optionally with one instrument's position replaced. */
  margins(override?: { instrument: Instrument; qty: number }): { initial: number; maintenance: number } {
    let initial = 0;
    let maintenance = 0;
    const seen = new Set<number>();
    for (const p of this.positions.values()) {
      const qty = override && override.instrument.conId === p.instrument.conId ? override.qty : p.qty;
      seen.add(p.instrument.conId);
      initial += Math.abs(qty) * p.instrument.initialMargin;
      maintenance += Math.abs(qty) * p.instrument.maintenanceMargin;
    }
    if (override && !seen.has(override.instrument.conId)) {
      initial += Math.abs(override.qty) * override.instrument.initialMargin;
      maintenance += Math.abs(override.qty) * override.instrument.maintenanceMargin;
    }
    return { initial, maintenance };
  }

  snapshot(): PositionSnapshot[] {
    return [...this.positions.values()].map((p) => ({
      account: this.id,
      symbol: p.instrument.symbol,
      conId: p.instrument.conId,
      qty: p.qty,
      avgPrice: p.avgPrice,
      avgCost: p.avgPrice * pointValue(p.instrument),
    }));
  }
}

export function marketValue(instrument: Instrument, qty: number, price: number): number {
  return price * qty * pointValue(instrument);
}

export function avgCostOf(position: Position): number {
  return position.avgPrice * pointValue(position.instrument);
}
