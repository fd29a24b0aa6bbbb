export { AuditInputError } from './auditInputError';
export { auditKeys, DEFAULT_AUDIT_STREAM_KEY } from './auditKeys';
export {
  auditRecordInputSchema,
  type AuditEntry,
  type AuditRecord,
  type AuditRecordInput,
  type AuditRecordKind,
  type AuditStamp,
} from './auditRecord';
export { actorIdSchema, AUDIT_RECORD_KINDS } from './auditRecordKinds';
export { canonicalJson, canonicalSerialise } from './canonicalSerialise';
export { AuditEntryCorruptError } from './decodeAuditEntry';
export { MAX_RECORD_BYTES, OrderAuditTrail, type AppendResult, type OrderAuditTrailOptions } from './orderAuditTrail';
export { DEFAULT_READ_LIMIT, MAX_READ_LIMIT, type ReadRangeOptions } from './readRangeOptions';
export { compareStreamIds } from './streamIds';
