import { z } from 'zod';
import { oneOfError } from '../../shared/zodIssues.ts';

export const SIDES = ['BUY', 'SELL'] as const;
export const ORDER_TYPES = ['MKT', 'LMT', 'STP', 'STP LMT'] as const;
export const TIMES_IN_FORCE = ['DAY', 'GTC', 'IOC'] as const;

export type Side = (typeof SIDES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];

/**
 * A sanity bound, not a risk limit (those live with the pre-trade checks): no futures order is a
 * million contracts, and a value that large is a unit mistake.
 */
export const MAX_ORDER_QUANTITY = 1_000_000;

export const quantitySchema = z
  .number()
  .int('must be a whole number of contracts')
  .positive('must be positive')
  .max(MAX_ORDER_QUANTITY, `must be at most ${MAX_ORDER_QUANTITY}`);

/**
 * Any finite price (zod numbers refuse NaN and Infinity), zero and negative included: futures can
 * trade below zero (WTI settled at -37.63 on 2020-04-20) and calendar spreads routinely do.
 */
// -0 is normalised to 0: JSON (and so the queue) cannot carry it, and a job must read the same after a round trip.
export const priceSchema = z.number().transform((price) => (Object.is(price, -0) ? 0 : price));

export const sideSchema = z.enum(SIDES, { error: oneOfError("must be 'BUY' or 'SELL'") });
export const orderTypeSchema = z.enum(ORDER_TYPES, { error: oneOfError("must be 'MKT', 'LMT', 'STP' or 'STP LMT'") });
export const timeInForceSchema = z.enum(TIMES_IN_FORCE, { error: oneOfError("must be 'DAY', 'GTC' or 'IOC'") });

export const NEEDS_LIMIT_PRICE: ReadonlySet<OrderType> = new Set(['LMT', 'STP LMT']);
export const NEEDS_STOP_PRICE: ReadonlySet<OrderType> = new Set(['STP', 'STP LMT']);
