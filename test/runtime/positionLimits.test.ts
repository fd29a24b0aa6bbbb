import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import type { PositionRow } from '../../src/orders/positionsView.ts';
import { positionLimits } from '../../src/runtime/positionLimits.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

const row = (symbol: string, contractMonth: string | null, internal: number, broker: number | null = internal): PositionRow => ({
  account: 'DU1234567',
  symbol,
  contractMonth,
  broker,
  internal,
  difference: broker === null ? 0 : broker - internal,
  break: null,
});

describe('positionLimits', () => {
  it('gives each row its limit (per month where one is configured, else per symbol) and the CFTC reportable level of its market', () => {
    const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { orders: { positionLimit: { '*': 500, ES: 40 }, positionLimitPerMonth: { ES: 10 } } } });
    const withLimits = positionLimits(config, createSilentLogger());
    const view = withLimits({
      asOf: '2026-12-07T15:00:00.000Z',
      breaks: [],
      positions: [row('ES', '202703', 999, 1_000), row('ES', null, 3), row('NQ', '202703', -200, null), row('XX', '202703', 1)],
    });
    expect(view.positions.map(({ symbol, limit, reportableLevel, reportable }) => ({ symbol, limit, reportableLevel, reportable }))).toEqual([
      // S&P 500 Stock Price Index: 1000 contracts; the broker's 1000 reaches it though the book's 999 does not.
      { symbol: 'ES', limit: 10, reportableLevel: 1_000, reportable: true },
      { symbol: 'ES', limit: 40, reportableLevel: 1_000, reportable: false },
      // Other Broad-Based Securities Indexes: 200 contracts, short counts as much as long; the book's when the broker has not answered.
      { symbol: 'NQ', limit: 500, reportableLevel: 200, reportable: true },
      { symbol: 'XX', limit: 500, reportableLevel: null, reportable: false },
    ]);
  });

  it('gives no limit where none is configured, and no level when the level tables do not load', () => {
    const config = loadConfig({ env: SIM_CLOCK_ENV });
    const broken = {
      ...config,
      orders: { ...config.orders, positionLimit: {}, positionLimitPerMonth: {} },
      regulatory: { ...config.regulatory, levelsPath: 'config/regulatory/missing.json' },
    };
    const view = positionLimits(broken, createSilentLogger())({ asOf: '2026-12-07T15:00:00.000Z', breaks: [], positions: [row('ES', '202703', 5_000)] });
    expect(view.positions[0]).toMatchObject({ limit: null, reportableLevel: null, reportable: false });
  });
});
