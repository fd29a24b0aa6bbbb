export const DEFAULT_AUDIT_STREAM_KEY = 'tradewire:audit:orders';

/**
 * Every key hangs off the stream key, so a Redis Cluster user can keep them in one slot (the
 * scripts touch several at once) by putting a hash tag in it: `{tradewire:audit:orders}`.
 */
export function auditKeys(streamKey: string) {
  return {
    stream: streamKey,
    /**
     * Hash: the chain head, `seq` (last sequence number), `lastMs` (last timestamp) and `lastHash`
     * (last record's hash), so a cut at the end shows; after a prune, `checkpoint*` (see AuditHead).
     */
    meta: `${streamKey}:meta`,
    /** Hash: execId -> stream id of the fill that recorded it. */
    execIds: `${streamKey}:execIds`,
    /** List of stream ids, in append order, of one order's records. */
    orderIndex: (clientOrderId: string) => `${streamKey}:order:${clientOrderId}`,
    /** List of stream ids, in append order, of the records about the runtime itself (halts, resumes, discontinuities). */
    runtimeIndex: `${streamKey}:runtime`,
  };
}
