import { z } from 'zod';
import { unionError } from '../shared/zodIssues.ts';
import { AUDIT_RECORD_KINDS, auditRecordKindSchemas } from './auditRecordKinds.ts';

/** What a caller appends: everything but the sequence number and timestamps, which the trail assigns. */
export const auditRecordInputSchema = z.discriminatedUnion('kind', [...auditRecordKindSchemas], {
  error: unionError(`must be one of ${AUDIT_RECORD_KINDS.join(', ')}`),
});

export type AuditRecordInput = z.input<typeof auditRecordInputSchema>;
export type AuditRecordKind = AuditRecordInput['kind'];

/** Assigned atomically with the write, from Redis' clock: one clock for every writer. */
export interface AuditStamp {
  /** 1, 2, 3, ... with no gaps, across every writer of the trail. */
  seq: number;
  /** ISO-8601 UTC with milliseconds, e.g. `2024-03-15T14:30:00.123Z`. */
  ts: string;
  /** The same instant in epoch milliseconds (UTC); never decreases as `seq` increases. */
  tsMs: number;
}

export type AuditRecord = AuditRecordInput & AuditStamp;

/** A record with the Redis Stream id it is stored under (`<tsMs>-<n>`), which is not part of the record. */
export interface AuditEntry {
  id: string;
  record: AuditRecord;
  /** The record's place in the hash chain; absent on records written before the chain existed. */
  chain?: { prevHash: string; hash: string };
}
