import type { PositionsInput } from '../admin/schemas/positionViews.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { PositionsView } from '../orders/positionsView.ts';
import { levelConfigOf } from './capabilities/reportEngines.ts';

type LimitTable = Record<string, number>;
const limitIn = (table: LimitTable, symbol: string): number | null => table[symbol] ?? table['*'] ?? null;

/**
 * What each `GET /positions` row adds: its position limit, as the order service applies it (per
 * contract month, where `positionLimitPerMonth` names the symbol or `*`, over `positionLimit`), and
 * the CFTC reportable level of the symbol's contract market, with whether the position (the
 * broker's, else the book's) reaches it. The level tables are read once; a symbol outside the
 * instrument map (or tables that do not load) has no level.
 */
export function positionLimits(config: Config, logger: Logger): (view: PositionsView) => PositionsInput {
  const perMonth: LimitTable = { ...config.orders.positionLimit, ...config.orders.positionLimitPerMonth };
  let levels: ((symbol: string) => number | null) | undefined;
  const levelOf = (symbol: string): number | null => {
    if (!levels) {
      try {
        const { instruments } = levelConfigOf(config);
        levels = (name) => (instruments.has(name) ? instruments.marketOf(name).level.contracts : null);
      } catch (error) {
        logger.warn('reportable levels not loaded: positions show none', { error: (error as Error).message });
        levels = () => null;
      }
    }
    return levels(symbol);
  };
  return (view) => ({
    ...view,
    positions: view.positions.map((row) => {
      const reportableLevel = levelOf(row.symbol);
      const position = Math.abs(row.broker ?? row.internal);
      return {
        ...row,
        limit: row.contractMonth === null ? limitIn(config.orders.positionLimit, row.symbol) : limitIn(perMonth, row.symbol),
        reportableLevel,
        reportable: reportableLevel !== null && position >= reportableLevel,
      };
    }),
  });
}
