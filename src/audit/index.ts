export { AuditInputError } from './auditInputError';
export { auditKeys } from './auditKeys';
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
export { AuditAppendContentionError } from './chainAppender';
export { type ChainFinding } from './chainFindings';
export { CHAIN_LAYOUT_TAG, chainHash, GENESIS_HASH } from './chainHash';
export { AuditChainVerifier, type VerifyOptions, type VerifyProgress, type VerifyReport } from './chainVerifier';
export { csvField } from './csv';
export { exportAudit, EXPORT_FORMATS, type ExportFormat, type ExportOptions } from './exportAudit';
export { EXPORT_COLUMNS } from './exportColumns';
export { AuditRetention, AuditRetentionError, type PruneRequest, type PruneResult, type RetentionStatus } from './auditRetention';
export { shiftYears } from './calendarYears';
export { auditRetentionSchema, MIN_READILY_ACCESSIBLE_YEARS, MIN_RETENTION_YEARS, parseRetentionConfig, type AuditRetentionConfig } from './retentionConfig';
