import { z } from 'zod';
import { accountSchema, orderIdSchema, priceSchema, quantitySchema } from '../orders/schema/index.ts';
import { runtimeRecordKindSchemas } from './runtimeRecordKinds.ts';

const text = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const nonNegativeInt = z.number().int('must be an integer').min(0, 'must not be negative');

/** The supervision tree's systemId of the actor that acted (`order:abc`, `admin`, `reconciler`). */
export const actorIdSchema = text(128).regex(/^\S+$/, 'must not contain whitespace');

/** Fields every record has. `details` is free-form, but JSON only, so it hashes the same everywhere. */
const common = {
  // Any order id, child orders' (`<parent>:t<n>`) included: the trail records them all.
  clientOrderId: orderIdSchema,
  account: accountSchema,
  actor: actorIdSchema,
  ibOrderId: nonNegativeInt.optional(),
  details: z.record(z.string(), z.json()).optional(),
};

function kind<K extends string, S extends Record<string, z.ZodType> = {}>(name: K, fields?: S) {
  // A kind may tighten a common field (`sent` requires ibOrderId), so its fields replace common ones.
  const shape = { ...common, ...fields } as unknown as Omit<typeof common, keyof S> & S;
  return z.strictObject({ kind: z.literal(name), ...shape });
}

const priceChanges = z
  .strictObject({ quantity: quantitySchema.optional(), limitPrice: priceSchema.optional(), stopPrice: priceSchema.optional() })
  .refine((c) => c.quantity !== undefined || c.limitPrice !== undefined || c.stopPrice !== undefined, {
    message: 'must change at least one of quantity, limitPrice, stopPrice',
  });

const fillFields = {
  execId: text(128),
  /** This execution's quantity, not the cumulative one. */
  quantity: quantitySchema,
  price: priceSchema,
  commission: priceSchema.optional(),
  commissionCurrency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like USD').optional(),
  cumulativeQuantity: quantitySchema.optional(),
  /** The broker's execution time, when it differs from the time the trail records it. */
  executedAt: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp with a zone' }).optional(),
};

export const auditRecordKindSchemas = [
  /** The job as it arrived, before validation: CFTC 1.35's time of receipt. */
  kind('received', { jobId: text(256).optional(), payload: z.json().optional() }),
  kind('validated', { job: z.json().optional(), priority: nonNegativeInt.optional() }),
  kind('rejected', {
    reason: text(2000),
    /** An IB error code (201) or our own rule name. */
    code: z.union([z.number().int(), text(64)]).optional(),
    errors: z.array(text(2000)).optional(),
  }),
  kind('sent', {
    ibOrderId: nonNegativeInt,
    clientId: nonNegativeInt,
    /** `host:port` of the gateway the order went to. */
    gateway: text(256),
  }),
  kind('acknowledged', { status: text(64).optional(), permId: nonNegativeInt.optional() }),
  kind('modified', { changes: priceChanges, previous: z.strictObject({ quantity: quantitySchema.optional(), limitPrice: priceSchema.optional(), stopPrice: priceSchema.optional() }).optional() }),
  /** A modify refused before it reached the broker (pre-trade checks with its new terms); the order is unchanged. */
  kind('modifyRefused', { changes: z.record(z.string(), z.number()), reason: text(2000) }),
  kind('cancelRequested', { reason: text(2000).optional() }),
  kind('cancelled', { reason: text(2000).optional(), code: z.number().int().optional() }),
  kind('partiallyFilled', fillFields),
  kind('filled', fillFields),
  kind('expired', { reason: text(2000).optional() }),
  /** Sent, but the outcome is unknown (no ack, a crash): it must be looked up before anything else. */
  kind('inDoubt', { reason: text(2000) }),
  kind('reconciled', {
    resolution: text(2000),
    brokerStatus: text(64).optional(),
    filledQuantity: nonNegativeInt.optional(),
  }),
  /**
   * An event put into the order from outside (`POST /actors/order:<id>/events`), written before it is
   * delivered, with the request that carried it. Broker-origin events only ever arrive this way in
   * testing (`testing.brokerEventInjection`, simulator only), so the trail shows which were forged.
   */
  kind('injected', { eventType: text(200), event: z.json(), requestId: text(128), brokerOrigin: z.boolean() }),
  ...runtimeRecordKindSchemas,
] as const;

export const AUDIT_RECORD_KINDS = auditRecordKindSchemas.map((schema) => schema.shape.kind.value);
