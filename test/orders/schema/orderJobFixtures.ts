/** Valid jobs of every shape, for the example and property tests. */
export const validLimitOrder = {
  clientOrderId: 'carry.ES.20240315.0001',
  account: 'DU1234567',
  instrument: { symbol: 'ES', expiry: '202406' },
  side: 'BUY',
  quantity: 3,
  orderType: 'LMT',
  limitPrice: 5210.25,
  timeInForce: 'DAY',
  algorithm: { kind: 'limitChase', repriceEveryMs: 2_000, deadlineMs: 60_000, atDeadline: 'cross' },
  strategy: 'carry',
  deadline: '2024-03-15T20:00:00.000Z',
  riskReducing: false,
} as const;

export const validStopLimitOrder = {
  type: 'new',
  clientOrderId: 'trend-ZN-1',
  account: 'U7654321',
  instrument: { conId: 551601561 },
  side: 'SELL',
  quantity: 10,
  orderType: 'STP LMT',
  limitPrice: 109.5,
  stopPrice: 109.75,
  timeInForce: 'GTC',
  strategy: 'trend',
} as const;

export const validMarketOrder = {
  clientOrderId: 'm1',
  account: 'DU1234567',
  instrument: { symbol: '6E', expiry: '20240617' },
  side: 'SELL',
  quantity: 20,
  orderType: 'MKT',
  algorithm: { kind: 'twap', slices: 4, durationMs: 600_000 },
  strategy: 'fx_carry',
  riskReducing: true,
} as const;

export const validCancel = { type: 'cancel', clientOrderId: 'carry.ES.20240315.0001' } as const;
export const validModify = { type: 'modify', clientOrderId: 'carry.ES.20240315.0001', limitPrice: 5211 } as const;

export const validJobs: Record<string, Record<string, unknown>> = {
  validLimitOrder,
  validStopLimitOrder,
  validMarketOrder,
  validCancel,
  validModify,
};
