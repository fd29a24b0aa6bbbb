/** The namespace a fresh config uses; every key below starts with the configured one. */
export const DEFAULT_NAMESPACE = 'tradewire';

/**
 * Every Redis key (and key prefix) the runtime writes, built from the namespace in this one place,
 * so two namespaces on one Redis share nothing. Paths that the config names (the audit stream, the
 * market-data output keys, the regulatory positions prefix) are relative to the namespace.
 */
export function namespaceKeys(namespace: string = DEFAULT_NAMESPACE) {
  const ns = namespace;
  const under = (relative: string) => `${ns}:${relative}`;
  return {
    namespace: ns,
    /** A config-named key, placed under the namespace. */
    under,
    /** BullMQ's prefix for every queue (orders, fills, reports, regulatory-close) and their dead letters. */
    bullPrefix: under('bull'),
    /** The order store: `<prefix>:order:<id>`, `:open`, `:all`, `:fills:outbox`, `:breaks`. */
    ordersPrefix: under('orders'),
    /** Continuity anchors: the store's epoch and an operator's halt. */
    continuityEpoch: under('continuity:epoch'),
    operatorHalt: under('halt:operator'),
    /** An IB connection's order-id high-water mark. */
    ibOrderIdHighWater: (systemId: string) => under(`ib:${systemId}:orderIdHighWater`),
    /** The active node's lease (`<nodeId>|<token>`, with a TTL) and the fencing-token counter. */
    lease: under('lease'),
    fence: under('lease:fence'),
    /** Reports' filing ledger. */
    reportsLedger: under('reports'),
  };
}

export type NamespaceKeys = ReturnType<typeof namespaceKeys>;
