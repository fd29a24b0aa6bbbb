import { z } from 'zod';
import { accountSchema, clientOrderIdSchema, orderIdSchema } from './identifiers.ts';
import { expirySchema } from './instrument.ts';
import { sideSchema } from './orderTerms.ts';

/**
 * What tradewire publishes on the BullMQ `fills` queue, as consumers (the strategy, in any
 * language) read it: the contract `schemas/fill-job.json` and `schemas/commission-job.json` are
 * generated from. The publishers (FillAssembly, FillPublisher, the fills outbox) build these
 * objects; this file states their shape.
 */

const contracts = z.number().int().positive();
const timestamp = z.iso.datetime({ offset: true });
const execId = z.string().min(1).max(128);
/** Negative allowed: a commission can be a rebate. */
const money = z.number();

/** Job name `fill`, job id `fill.<base64url(clientOrderId)>.<filledQuantity>`: one job per new filled quantity of an order. */
export const fillJobSchema = z.strictObject({
  clientOrderId: clientOrderIdSchema,
  account: accountSchema,
  symbol: z.string().min(1),
  /** The contract month the order traded (absent when the broker chose it and it was not recorded). */
  expiry: expirySchema.optional(),
  /** The broker executions new in this fill, so a consumer can count each once. */
  executions: z.array(z.strictObject({ execId, quantity: contracts })),
  side: sideSchema,
  /** Contracts newly filled by this job. */
  quantity: contracts,
  /** The order's cumulative filled quantity after it. */
  filledQuantity: contracts,
  /** Volume-weighted over the order's fills so far; null only if the store lost it. */
  averagePrice: z.number().nullable(),
  at: timestamp,
  /** The commissions of this job's executions known when it was published. */
  commission: money,
  /** How many of its executions' commissions had not arrived; each comes later as a `commission` job. */
  commissionsPending: z.number().int().nonnegative(),
  /** Present (true) when published on start from the store after a crash. */
  republished: z.literal(true).optional(),
});

/** Job name `commission`, job id `commission.<base64url(execId)>`: a commission that arrived after its fill was published. */
export const commissionJobSchema = z.strictObject({
  clientOrderId: orderIdSchema,
  /** A TWAP slice's commission names the order the strategy sent. */
  parentClientOrderId: clientOrderIdSchema.optional(),
  execId,
  commission: money,
  at: timestamp,
});

export type FillJob = z.output<typeof fillJobSchema>;
export type CommissionJob = z.output<typeof commissionJobSchema>;
