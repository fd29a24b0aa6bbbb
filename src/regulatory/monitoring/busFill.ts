import { z } from 'zod';

/**
 * The `order.fill` bus payload as the monitor reads it. `expiry` and `executions` are optional:
 * without `expiry` the contract month is looked up from the broker's contract, and without
 * `executions` the publication itself (order id and cumulative quantity) stands in for an execId.
 */
export const busFillSchema = z.object({
  clientOrderId: z.string().min(1),
  parentClientOrderId: z.string().optional(),
  account: z.string().min(1),
  symbol: z.string().min(1),
  side: z.enum(['BUY', 'SELL']),
  /** Contracts newly filled by this publication. */
  quantity: z.number().int().positive(),
  /** The order's cumulative filled quantity after it. */
  filledQuantity: z.number().int().nonnegative(),
  /** The order's contract month, YYYYMM or YYYYMMDD (OrderSpec.expiry). */
  expiry: z.string().regex(/^\d{6}(\d{2})?$/).optional(),
  /** The executions new in this publication, each with the broker's execId. */
  executions: z.array(z.strictObject({ execId: z.string().min(1), quantity: z.number().int().positive() })).min(1).optional(),
});

export type BusFill = z.output<typeof busFillSchema>;

/** One execution as the reporting book applies it, before its contract month is known. */
export interface PendingExecution {
  execId: string;
  account: string;
  symbol: string;
  expiry: string | undefined;
  side: 'BUY' | 'SELL';
  quantity: number;
}

/**
 * The executions a publication carries. With `executions` each keeps its broker execId, so a TWAP
 * parent's publication (the same executions as its slices') is applied once. Without, the id is
 * `<clientOrderId>#<filledQuantity>`: unique per publication, so a re-delivered one still counts once.
 */
export function executionsOf(fill: BusFill): PendingExecution[] {
  const common = { account: fill.account, symbol: fill.symbol, expiry: fill.expiry, side: fill.side };
  if (fill.executions) return fill.executions.map((execution) => ({ ...common, execId: execution.execId, quantity: execution.quantity }));
  return [{ ...common, execId: `${fill.clientOrderId}#${fill.filledQuantity}`, quantity: fill.quantity }];
}
