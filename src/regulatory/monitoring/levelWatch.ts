import type { InstrumentMap } from '../cftc/levels/instrumentMap.ts';
import { LevelMonitor } from '../cftc/monitor/levelMonitor.ts';
import type { ContractPosition } from '../cftc/positions/contractPosition.ts';
import { ReportingPositionBook, type ReportingFill } from '../cftc/positions/reportingPositionBook.ts';

/** A level crossing with the position that made it, as logged, published and counted. */
export interface LevelCrossing {
  kind: 'reportable' | 'belowLevel';
  account: string;
  /** The instrument and contract month with the largest open position in the market (the one that crossed). */
  symbol: string;
  contractMonth: string;
  marketKey: string;
  commodity: string;
  level: number;
  /** Signed net contracts in that future. */
  net: number;
}

/**
 * The monitor's state: the reporting book (broker seed plus fills by execId) and the level
 * monitor over it. Positions in instruments the instrument map does not know cannot be measured
 * against a level; they stay in the book (and the close) and are listed as unmapped.
 */
export class LevelWatch {
  private readonly book = new ReportingPositionBook();
  private readonly monitor: LevelMonitor;
  private readonly unmappedSymbols = new Set<string>();
  /** The future last seen largest per account and market: a market closed out entirely still names it. */
  private readonly lastFuture = new Map<string, { symbol: string; contractMonth: string }>();

  constructor(private readonly instruments: InstrumentMap) {
    this.monitor = new LevelMonitor(instruments);
  }

  /** Replaces the book with the broker's positions; the crossings it makes are returned like any other. */
  seed(positions: readonly ContractPosition[], includedExecIds: readonly string[]): LevelCrossing[] {
    this.book.seed(positions, includedExecIds);
    return this.check();
  }

  /** Applies fills once each by execId; returns the crossings they make. */
  apply(fills: readonly ReportingFill[]): LevelCrossing[] {
    let changed = false;
    for (const fill of fills) changed = this.book.applyFill(fill) || changed;
    return changed ? this.check() : [];
  }

  positions(): ContractPosition[] {
    return this.book.positions();
  }

  /** Accounts and markets at or above their level now. */
  reportable(): { account: string; marketKey: string }[] {
    const seen = new Map<string, { account: string; marketKey: string }>();
    for (const position of this.mapped()) {
      const marketKey = this.instruments.marketOf(position.symbol).key;
      if (this.monitor.isReportable(position.account, marketKey)) seen.set(`${position.account}|${marketKey}`, { account: position.account, marketKey });
    }
    return [...seen.values()];
  }

  /** Each mapped position's size (long or short) as a fraction of its market's reportable level. */
  levelFractions(): { account: string; symbol: string; contractMonth: string; fraction: number }[] {
    return this.mapped().map((position) => ({
      account: position.account,
      symbol: position.symbol,
      contractMonth: position.contractMonth,
      fraction: Math.abs(position.net) / this.instruments.marketOf(position.symbol).level.contracts,
    }));
  }

  get unmapped(): string[] {
    return [...this.unmappedSymbols].sort();
  }

  private mapped(): ContractPosition[] {
    return this.book.positions().filter((position) => {
      if (this.instruments.has(position.symbol)) return true;
      this.unmappedSymbols.add(position.symbol);
      return false;
    });
  }

  private check(): LevelCrossing[] {
    const positions = this.mapped();
    return this.monitor.update(positions).map((alert) => {
      // The future that decides the crossing: the largest position of the account in that market.
      const inMarket = positions
        .filter((p) => p.account === alert.account && this.instruments.marketOf(p.symbol).key === alert.marketKey)
        .sort((a, b) => Math.abs(b.net) - Math.abs(a.net));
      const largest = inMarket[0];
      const key = `${alert.account}|${alert.marketKey}`;
      const future = largest ?? this.lastFuture.get(key);
      if (largest) this.lastFuture.set(key, { symbol: largest.symbol, contractMonth: largest.contractMonth });
      return {
        kind: alert.kind,
        account: alert.account,
        symbol: future?.symbol ?? this.symbolOf(alert.marketKey),
        contractMonth: future?.contractMonth ?? '',
        marketKey: alert.marketKey,
        commodity: alert.commodity,
        level: alert.level,
        net: largest?.net ?? 0,
      };
    });
  }

  private symbolOf(marketKey: string): string {
    return this.instruments.symbols.find((symbol) => this.instruments.marketOf(symbol).key === marketKey) ?? marketKey;
  }
}
