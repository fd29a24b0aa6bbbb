/** The namespace a fresh config uses; every key below starts with the configured one. */
export const DEFAULT_NAMESPACE = 'tradewire';

/**
 * The config-named keys' defaults, RELATIVE to the namespace (config/default.json holds the same
 * values; a test keeps the two equal). A relative key may carry a Redis Cluster hash tag, e.g.
 * `{audit:orders}`: the namespace has no braces, so `<ns>:{audit:orders}` and every key hung off it
 * hash on `audit:orders` and share one slot.
 */
export const RELATIVE_KEY_DEFAULTS = {
  /** `audit.streamKey`: the order audit trail's stream (its index keys hang off it). */
  auditStream: 'audit:orders',
  /** `marketData.outputs.redis.key`: the prices stream, or the channel prefix `<key>:<symbol>`. */
  marketDataPrices: 'md:prices',
  /** `marketData.rejects.streamKey`: rejected ticks kept for review. */
  marketDataRejects: 'md:rejects',
  /** `regulatoryMonitor.keyPrefix`: close-of-day positions, `<prefix>:<YYYY-MM-DD>` and `<prefix>:days`. */
  regulatoryPositions: 'regulatory:positions',
  /** `keyPrefix` of the reference-data cache: contract details, `<prefix><lookup key>`. */
  referenceDataCache: 'refdata:contractDetails:',
} as const;

/**
 * BullMQ's own default prefix: where queues lived before namespaces. The runtime only READS under
 * it (jobs left there by an older version are reported at start, never taken).
 */
export const LEGACY_BULL_PREFIX = 'bull';

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
    /** Reconciliation breaks (hash symbol -> break): `<ordersPrefix>:breaks`, as the order service writes it. */
    orderBreaks: under('orders:breaks'),
    /** Continuity anchors: the store's epoch and an operator's halt. */
    continuityEpoch: under('continuity:epoch'),
    operatorHalt: under('halt:operator'),
    /** An IB connection's order-id high-water mark. */
    ibOrderIdHighWater: (systemId: string) => under(`ib:${systemId}:orderIdHighWater`),
    /** The active node's lease (`<nodeId>|<token>`, with a TTL) and the fencing-token counter. */
    lease: under('lease'),
    fence: under('lease:fence'),
    /** Fills and commissions for every consumer group: one entry per execution (and per late commission). */
    fillStream: under('stream:fills'),
    /** Which kinds of an execution's entries the fills stream holds (exactly-once appends), expiring after the dedupe window. */
    fillStreamMarker: (execId: string) => under(`stream:fills:exec:${execId}`),
    /** Live events (order states, fills, breaks, halts, alerts, connection health, rolls) for the admin API's `GET /events`. */
    eventStream: under('stream:events'),
    /** How far the active node has relayed the fills stream into the event stream (a fills-stream entry id). */
    eventStreamFillsPosition: under('stream:events:fillsPosition'),
    /** Reports' filing ledger: `<prefix>:claim:<reportId>`, `<prefix>:filed:<reportId>`. */
    reportsLedger: under('reports'),
    /** The order audit trail's stream, from `audit.streamKey` (relative). */
    auditStream: (streamKey: string = RELATIVE_KEY_DEFAULTS.auditStream) => under(streamKey),
    /** Consolidated prices, from `marketData.outputs.redis.key` (relative). */
    marketDataPrices: (key: string = RELATIVE_KEY_DEFAULTS.marketDataPrices) => under(key),
    /** Rejected ticks, from `marketData.rejects.streamKey` (relative). */
    marketDataRejects: (streamKey: string = RELATIVE_KEY_DEFAULTS.marketDataRejects) => under(streamKey),
    /** Close-of-day positions, from `regulatoryMonitor.keyPrefix` (relative). */
    regulatoryPositions: (keyPrefix: string = RELATIVE_KEY_DEFAULTS.regulatoryPositions) => under(keyPrefix),
    /** Contract details cache, from the reference-data cache's `keyPrefix` (relative). */
    referenceDataCache: (keyPrefix: string = RELATIVE_KEY_DEFAULTS.referenceDataCache) => under(keyPrefix),
  };
}

export type NamespaceKeys = ReturnType<typeof namespaceKeys>;

/** What of the configuration names keys: the namespace and the relative keys under it. */
export interface KeyNamingConfig {
  namespace: string;
  audit: { streamKey: string };
  marketData: { outputs: { redis: { key: string } }; rejects: { streamKey: string } };
  regulatoryMonitor: { keyPrefix: string };
}

/**
 * The namespace's keys with the config-named ones resolved: what a runtime (or the CLI, reading
 * what a runtime wrote) uses for a whole configuration.
 */
export function configuredKeys(config: KeyNamingConfig) {
  const keys = namespaceKeys(config.namespace);
  return {
    ...keys,
    auditStreamKey: keys.auditStream(config.audit.streamKey),
    marketDataPricesKey: keys.marketDataPrices(config.marketData.outputs.redis.key),
    marketDataRejectsKey: keys.marketDataRejects(config.marketData.rejects.streamKey),
    regulatoryPositionsPrefix: keys.regulatoryPositions(config.regulatoryMonitor.keyPrefix),
  };
}

export type ConfiguredKeys = ReturnType<typeof configuredKeys>;

/**
 * A config-named key that starts with the namespace (`tradewire:audit:orders`, or the hash-tagged
 * `{tradewire:audit:orders}`) was written for the days keys were absolute: taken as relative it
 * would move the data to `tradewire:tradewire:...`, silently. Returns the relative key meant
 * (`audit:orders`, `{audit:orders}`), or null when the key does not repeat the namespace.
 */
export function withoutRepeatedNamespace(namespace: string, relative: string): string | null {
  const tagged = relative.startsWith('{');
  const body = tagged ? relative.slice(1) : relative;
  if (!body.startsWith(`${namespace}:`)) return null;
  return `${tagged ? '{' : ''}${body.slice(namespace.length + 1)}`;
}
