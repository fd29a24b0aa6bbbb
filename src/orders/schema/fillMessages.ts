import { z } from 'zod';
import { accountSchema, clientOrderIdSchema, orderIdSchema } from './identifiers.ts';
import { expirySchema } from './instrument.ts';
import { sideSchema } from './orderTerms.ts';

/**
 * What tradewire publishes on the BullMQ `fills` queue and appends to the fills stream, as
 * consumers (the strategy, in any language) read it: the contract `schemas/fill-job.json`,
 * `schemas/commission-job.json` and the `*-stream-entry.json` files are generated from. The
 * publishers (FillAssembly, FillPublisher, the fills outbox, FillStream) build these objects;
 * this file states their shape.
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

/** `String(n)` of any finite number: `5210.25`, `-0.5`, `1e-7`. */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?(e[+-]\d+)?$/;
/** `String(n)` of a whole number of contracts. */
const CONTRACTS_TEXT = /^[1-9]\d*$/;

/**
 * A number as a Redis Stream field holds it: `String(n)` when appended, read back with `Number`.
 * As a codec, the schema's input side is the text in Redis (what `schemas/*-stream-entry.json`
 * describe) and its output side the number.
 */
const numberField = (text: RegExp, value: z.ZodNumber) =>
  z.codec(z.string().regex(text, 'must be a number'), value, { decode: (written) => Number(written), encode: (n) => String(n) });

/**
 * One execution appended to the fills stream `<ns>:stream:fills` (src/orders/fillStream.ts), each
 * field a string as Redis keeps it: parse an entry read from Redis with this schema to get its
 * values typed. `schemas/fill-stream-entry.json` is generated from it.
 */
export const fillStreamExecutionSchema = z.strictObject({
  type: z.literal('fill'),
  execId: execId.describe("IB's execution id: the stream holds each execution once"),
  clientOrderId: orderIdSchema.describe("The order the execution belongs to (a TWAP slice's own id, `<parent>:t<n>`)"),
  parentClientOrderId: clientOrderIdSchema.optional().describe('Only for a TWAP slice: the order the strategy sent'),
  account: accountSchema,
  symbol: z.string().min(1),
  contractMonth: z
    .string()
    .regex(/^(\d{6}(\d{2})?)?$/)
    .describe('YYYYMM; the last trade date (YYYYMMDD) while its month is not known yet; empty when the order named no expiry'),
  side: sideSchema,
  price: numberField(DECIMAL_TEXT, z.number()).describe("This execution's own price, not the order's average"),
  quantity: numberField(CONTRACTS_TEXT, contracts),
  time: timestamp.describe('When the runtime recorded the execution'),
  commission: numberField(DECIMAL_TEXT, money).optional().describe('When known as the fill was appended; else one `commission` entry carries it'),
});

/** A commission reported after its execution's entry was appended: join the two on execId. `schemas/commission-stream-entry.json`. */
export const fillStreamCommissionSchema = z.strictObject({
  type: z.literal('commission'),
  execId,
  clientOrderId: orderIdSchema.optional().describe('When known'),
  commission: numberField(DECIMAL_TEXT, money),
  time: timestamp,
});

/** One execution as FillStream appends it (the entry without its `type`). */
export type FillStreamExecution = Omit<z.output<typeof fillStreamExecutionSchema>, 'type'>;
export type FillStreamCommission = Omit<z.output<typeof fillStreamCommissionSchema>, 'type'>;
