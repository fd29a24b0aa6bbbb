export const DEFAULT_AUDIT_STREAM_KEY = 'tradewire:audit:orders';

/**
 * Every key hangs off the stream key, so a Redis Cluster user can keep them in one slot (the
 * scripts touch several at once) by putting a hash tag in it: `{tradewire:audit:orders}`.
 */
export function auditKeys(streamKey: string) {
  return {
    stream: streamKey,
    /** Hash: `seq` (last sequence number) and `lastMs` (last timestamp). */
    meta: `${streamKey}:meta`,
    /** Hash: execId -> stream id of the fill that recorded it. */
    execIds: `${streamKey}:execIds`,
    /** List of stream ids, in append order, of one order's records. */
    orderIndex: (clientOrderId: string) => `${streamKey}:order:${clientOrderId}`,
  };
}
