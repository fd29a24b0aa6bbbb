export { AuditInputError } from './auditInputError.ts';
export { auditKeys } from './auditKeys.ts';
export {
  auditRecordInputSchema,
  type AuditEntry,
  type AuditRecord,
  type AuditRecordInput,
  type AuditRecordKind,
  type AuditStamp,
} from './auditRecord.ts';
export { actorIdSchema, AUDIT_RECORD_KINDS } from './auditRecordKinds.ts';
export { canonicalJson, canonicalSerialise } from './canonicalSerialise.ts';
export { AuditEntryCorruptError } from './decodeAuditEntry.ts';
export { MAX_RECORD_BYTES, OrderAuditTrail, type AppendResult, type OrderAuditTrailOptions } from './orderAuditTrail.ts';
export { DEFAULT_READ_LIMIT, MAX_READ_LIMIT, type ReadRangeOptions } from './readRangeOptions.ts';
export { compareStreamIds } from './streamIds.ts';
export { AuditAppendContentionError } from './chainAppender.ts';
export { type ChainFinding } from './chainFindings.ts';
export { CHAIN_LAYOUT_TAG, chainHash, GENESIS_HASH } from './chainHash.ts';
export { AuditChainVerifier, type VerifyOptions, type VerifyProgress, type VerifyReport } from './chainVerifier.ts';
export { csvField } from './csv.ts';
export { exportAudit, EXPORT_FORMATS, type ExportFormat, type ExportOptions } from './exportAudit.ts';
export { EXPORT_COLUMNS } from './exportColumns.ts';
export { AuditRetention, AuditRetentionError, type PruneRequest, type PruneResult, type RetentionStatus } from './auditRetention.ts';
export { auditRetentionSchema, MIN_READILY_ACCESSIBLE_YEARS, MIN_RETENTION_YEARS, parseRetentionConfig, type AuditRetentionConfig } from './retentionConfig.ts';
