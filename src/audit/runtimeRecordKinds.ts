import { z } from 'zod';

const text = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const positiveInt = z.number().int('must be an integer').min(1, 'must be at least 1');

/** What the runtime keeps in Redis to prove the store is the one it wrote to (see src/runtime/continuity). */
export const STATE_ANCHORS = ['epoch', 'order-id mark', 'audit head'] as const;
export type StateAnchor = (typeof STATE_ANCHORS)[number];

/**
 * Records about the runtime itself rather than one order: they carry no clientOrderId or account,
 * and are indexed under `<stream>:runtime`. The actor is the systemId (or `admin`) that acted.
 */
const common = {
  actor: text(128).regex(/^\S+$/, 'must not contain whitespace'),
  details: z.record(z.string(), z.json()).optional(),
};

/**
 * An operator's action on the runtime (resume now; halt and others later): who, why and through
 * which request. When is the record's own timestamp.
 */
const operatorAction = {
  /** The operator as they named themselves (`--operator`, or the CLI's OS user), else the channel (`admin-api`). */
  who: text(128),
  reason: text(2000),
  requestId: text(128).optional(),
  /** The halt causes set or cleared (`redis-state-lost`, ...). */
  causes: z.array(text(64)).optional(),
};

const previousHead = z.strictObject({
  seq: positiveInt,
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  streamId: text(64),
});

export const runtimeRecordKindSchemas = [
  /** A mutating admin API request that passed authentication: what was asked, by which role, and how it ended. */
  z.strictObject({
    kind: z.literal('adminRequest'),
    ...common,
    method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
    route: text(256),
    requestId: text(128),
    role: z.enum(['operator']),
    /** sha256 of the request body as JSON: what was asked, without keeping what it carried. */
    bodyDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
    statusCode: z.number().int().min(100).max(599),
    /** `session`: a browser console session's cookie carried it (with its CSRF token); absent: a bearer token. */
    via: z.literal('session').optional(),
  }),
  /** A browser console login or logout: the role the token granted, and the request; never the token. */
  z.strictObject({
    kind: z.literal('adminSession'),
    ...common,
    event: z.enum(['login', 'logout']),
    role: z.enum(['operator', 'read']),
    requestId: text(128),
  }),
  z.strictObject({ kind: z.literal('intakeHalted'), ...common, ...operatorAction }),
  z.strictObject({ kind: z.literal('intakeResumed'), ...common, ...operatorAction }),
  /**
   * Redis lost (or changed) the state the trail and the runtime rely on: the chain before this record
   * is not the chain that was written. Names what was lost, the head as the runtime last knew it, and
   * which seqs of that trail are gone (`missingFromSeq..missingToSeq`).
   */
  z.strictObject({
    kind: z.literal('discontinuity'),
    ...common,
    reason: text(2000),
    lost: z.array(z.enum(STATE_ANCHORS)).min(1, 'must name at least one anchor'),
    previousHead: previousHead.optional(),
    missingFromSeq: positiveInt.optional(),
    missingToSeq: positiveInt.optional(),
    previousEpoch: text(64).optional(),
    epoch: text(64),
  }),
] as const;

export const RUNTIME_RECORD_KINDS = runtimeRecordKindSchemas.map((schema) => schema.shape.kind.value);
