/**
 * Every key hangs off the stream key (the runtime's is namespaceKeys(ns).auditStream(audit.streamKey),
 * `<namespace>:audit:orders` by default), so a Redis Cluster user can keep them in one slot (the
 * scripts touch several at once) by putting a hash tag in the relative key: `audit.streamKey`
 * `{audit:orders}` gives `<namespace>:{audit:orders}`, `<namespace>:{audit:orders}:meta`, ...; the
 * namespace has no braces, so each is hashed on `audit:orders` alone.
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
