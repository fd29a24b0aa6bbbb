import { z } from 'zod';
import { regulatoryConfigSchema } from '../regulatory/regulatoryConfig.ts';
import { regulatoryMonitorConfigSchema } from '../regulatory/monitoring/monitoringConfig.ts';
import { auditRetentionSchema } from '../audit/retentionConfig.ts';
import { reportsConfigSchema } from '../regulatory/pipeline/reportsConfig.ts';
import { marketDataSchema } from '../marketdata/marketDataConfig.ts';
import { sourceConfigsSchema } from '../marketdata/sources/sourceConfig.ts';
import { contractPoliciesSchema } from '../contracts/contractPolicy.ts';
import { localValidityMs } from '../lease/leaseTiming.ts';
import { withoutRepeatedNamespace } from '../redis/namespaceKeys.ts';
import { isoInstantSchema } from '../shared/instantText.ts';
import { eventsConfigSchema } from '../events/eventsConfig.ts';
import { LOG_FORMATS } from '../log/logFormat.ts';

/** For listening ports 0 means "let the OS pick a free one"; ports we connect to use `.min(1)`. */
const port = z.number().int().min(0).max(65535);
const host = z.string().min(1).regex(/^\S+$/, 'must not contain whitespace');
const millis = z.number().int().min(0);
const DAY_MS = 24 * 3_600_000;

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export const BROKER_MODES = ['sim', 'ib'] as const;

export const configSchema = z
  .strictObject({
    admin: z.strictObject({
      host,
      port: port,
      // Sent as `Authorization: Bearer <token>`, so it must survive in a header unchanged.
      token: z.string().regex(/^[\x21-\x7e]+$/, 'must be non-empty printable ASCII without spaces').optional(),
      /** The read-only role: reads with it, never mutations. Needed for reads when the API binds beyond loopback. */
      readToken: z.string().regex(/^[\x21-\x7e]+$/, 'must be non-empty printable ASCII without spaces').optional(),
      /** The browser console's sessions (a token exchanged once for a cookie), kept in the node's memory. */
      session: z
        .strictObject({
          /** How long a session lasts after its login (a restart ends every session sooner). */
          ttlMs: millis.min(60_000, 'must be at least 60000 (a minute)').max(7 * DAY_MS, 'must be at most 604800000 (a week)').default(12 * 3_600_000),
          /** Mark the cookie `Secure` (sent over https only): on when a TLS proxy fronts the API. */
          secureCookie: z.boolean().default(false),
        })
        .prefault({}),
    }),
    /**
     * Prefixes every Redis key the runtime writes (queues, order store, audit, dead letters, leases):
     * two namespaces on one Redis share nothing. No colon, braces or spaces: it is one key segment.
     */
    namespace: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, _ . or - (one key segment, no colon)'),
    /**
     * One active node per namespace: the node holding this Redis lease runs the broker, orders,
     * regulatory and reports capabilities; the others stand by. TTL at least twice the renew interval.
     */
    lease: z.strictObject({
      ttlMs: millis.min(100),
      renewMs: millis.min(20),
      /** This node's name in the lease (logs, /active). Absent: host, pid and a random suffix. */
      nodeId: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:@-]+$/, 'must be letters, digits, _ . : @ or -').optional(),
    }),
    redis: z.strictObject({
      // A host is required: `rediss:/host` parses as a URL with none, and ioredis would quietly use localhost.
      url: z.url({ protocol: /^rediss?$/, hostname: /./, error: 'must be a redis:// or rediss:// URL' }),
      /**
       * Where the continuity guard keeps the store's epoch, order-id marks and audit head across
       * process restarts (so a kill -9 plus a wiped Redis is caught); false: nowhere. Absent: a file
       * under the OS temp dir with broker mode ib, none with sim (the embedded simulator forgets too).
       */
      stateFile: z.union([z.string().min(1, 'must not be empty'), z.literal(false)]).optional(),
      /** Start with broker mode ib although Redis keeps nothing on disk (no AOF, no RDB snapshots). */
      allowVolatile: z.boolean().optional(),
    }),
    shutdownTimeoutMs: millis.min(1),
    /** `format`: auto = pretty at a terminal, JSON lines otherwise (what log collectors read). */
    log: z.strictObject({ level: z.enum(LOG_LEVELS), format: z.enum(LOG_FORMATS) }),
    inspect: z.strictObject({ enabled: z.boolean(), port: port }),
    broker: z.strictObject({
      mode: z.enum(BROKER_MODES),
      /** Orders go to a LIVE account (managed accounts not starting with DU/DF) only with this set. */
      allowLive: z.boolean(),
      ib: z.strictObject({
        host,
        port: port.min(1),
        clientId: z.number().int().min(0).max(2_147_483_647),
        /** Tried in order after the primary (host/port above) fails `failoverAfterAttempts` times. */
        backupGateways: z.array(z.strictObject({ host, port: port.min(1) })),
        /** Moved to, in order, when IB answers 326 (client id in use). */
        extraClientIds: z.array(z.number().int().min(0).max(2_147_483_647)),
      }),
      sim: z.strictObject({
        host,
        port: port,
        /** Where the embedded simulator's clock starts (then it runs with real time); absent: now. Tests pin an in-session instant. */
        clock: isoInstantSchema.optional(),
      }),
      /** Several connections to the same gateway(s), `ib`, `ib-2`, ...: an IB market-data source names the one it uses (`connection`). */
      pool: z.strictObject({
        /** Connection i (from 0) uses clientId + i, and its spare ids extraClientIds + i. */
        size: z.number().int().min(1).max(32),
      }),
      connection: z
        .strictObject({
          connectTimeoutMs: millis.min(1),
          handshakeTimeoutMs: millis.min(1),
          heartbeatIntervalMs: millis.min(1),
          heartbeatTimeoutMs: millis.min(1),
          stableAfterMs: millis,
          failoverAfterAttempts: z.number().int().min(1),
          primaryProbeIntervalMs: millis.min(1),
          requestTimeoutMs: millis.min(1),
          backoff: z
            .strictObject({ minMs: millis, maxMs: millis, jitter: z.number().min(0).max(1) })
            .refine((b) => b.minMs <= b.maxMs, { message: 'minMs must not exceed maxMs', path: ['maxMs'] }),
          pacing: z.strictObject({
            enabled: z.boolean(),
            /** IB disconnects above 50 messages/s; 45 leaves room for the heartbeat. */
            ratePerSecond: z.number().positive().max(50),
            burst: z.number().int().min(1),
          }),
        }),
    }),
    orders: z.strictObject({
      /** Take order jobs from the `orders` queue and run order actors. */
      enabled: z.boolean(),
      ackTimeoutMs: millis.min(1),
      cancelTimeoutMs: millis.min(1),
      /** How long a picked-up job may go unacknowledged before BullMQ hands it out again (after a crash). */
      queueLockMs: millis.min(500),
      /** Largest single order per symbol (`*` = default), as pysystemtrade's trade limits. */
      maxOrderSize: z.record(z.string(), z.number().int().min(1)),
      /** Largest worst-case position per symbol, all contract months together, working orders included (`*` = default). */
      positionLimit: z.record(z.string(), z.number().int().min(0)),
      /** Largest worst-case position in any one contract month (`*` = default); symbols not named use `positionLimit`. */
      positionLimitPerMonth: z.record(z.string(), z.number().int().min(0)),
      /** Symbols whose limit and stop prices may be zero or negative (spreads, WTI in 2020); every other price must be positive. */
      nonPositivePrices: z.array(z.string().min(1)),
      /** Limit/stop prices further than this from the last consolidated price are refused before they reach the broker. */
      priceCollar: z.strictObject({
        enabled: z.boolean(),
        /** Percent of the last price, by symbol (`*` = default). */
        maxDeviationPct: z.record(z.string(), z.number().positive().max(100)),
        maxPriceAgeMs: millis.min(1),
        whenNoPrice: z.enum(['reject', 'allow']),
      }),
      /** IB whatIf before each order: refused when margin after it would exceed equity, or it adds more than the cap. */
      whatIfMarginCheck: z.strictObject({
        enabled: z.boolean(),
        /** Largest initial-margin increase one order may bring (account currency); null for no cap. */
        maxInitMarginChange: z.number().positive().nullable(),
      }),
      /** Minimum price increments by symbol, over the built-in ones for the default futures (limit-chase prices are multiples). */
      tickSizes: z.record(z.string(), z.number().positive()),
      /** A small strategy that submits a mix of orders so a newcomer sees the whole path. Off in production. */
      demo: z.strictObject({ enabled: z.boolean(), intervalMs: millis.min(100), account: z.string().min(1) }),
   
      /** The fills stream (`<namespace>:stream:fills`): trimmed to about `maxLen` entries; a replay within `dedupeWindowMs` is recognised. The same defaults as the order side's (a config test keeps them equal). */
      fillStream: z
        .strictObject({
          maxLen: z.number().int().min(1).default(100_000),
          dedupeWindowMs: z.number().int().min(60_000).default(30 * DAY_MS),
        })
        .prefault({}),
      /** Finished `orders` and `fills` jobs: completed kept while younger than completedAgeMs and among the last completedCount; failed for failedAgeMs. Dead letters are kept apart. */
      jobRetention: z
        .strictObject({
          completedAgeMs: z.number().int().min(1_000).default(DAY_MS),
          completedCount: z.number().int().min(0).default(10_000),
          failedAgeMs: z.number().int().min(1_000).default(7 * DAY_MS),
        })
        .prefault({}),
    }),
    /** Market data: sources (each a supervised actor), quality control and consolidation per instrument. */
    marketData: marketDataSchema.extend({
      sources: sourceConfigsSchema,
      /**
       * Which contract month each symbol trades and is subscribed in (`*` = default): 'front', a
       * month 'YYYYMM', or { roll: { businessDaysBefore, from: 'lastTrade' | 'firstNotice' } }.
       * Orders without an expiry and the position books use the same choice. Absent, or for a
       * symbol not named: roll 5 business days before first notice (else last trade).
       */
      contracts: contractPoliciesSchema.optional(),
    }),
    /** Live events (`GET /events`): whether the active node records them, how many are retained, the SSE keepalive. */
    events: eventsConfigSchema,
    /** The tamper-evident order audit trail (CFTC 1.35) and how long it is kept. */
    audit: z.strictObject({
      /** Relative to the namespace: the stream is `<namespace>:<streamKey>`; `{audit:orders}` keeps its keys in one Cluster slot. */
      streamKey: z.string().min(1).max(200).regex(/^\S+$/, 'must not contain whitespace'),
      /** CFTC 1.31 / NFA 2-10: at least 5 years, readily accessible for at least 2. */
      retention: auditRetentionSchema,
    }),
    /** The `reports` queue: reporter actors, transports per jurisdiction, retries and acknowledgements. */
    reports: reportsConfigSchema,
    /** CFTC large-trader reporting: reporting firm, file format, levels table, accounts, Form 40 trader details. */
    regulatory: regulatoryConfigSchema,
    /** The reportable-level monitor: day close time, filing deadline, Redis key prefix of close-of-day positions. */
    regulatoryMonitor: regulatoryMonitorConfigSchema,
    /**
     * Test-only switches, off by default and refused by nothing: they exist so chaos runs and tests
     * can reach faults a live system never exposes. Never turn them on against a real account.
     */
    testing: z.strictObject({
      /** Arms `POST /testing/orders/:clientOrderId/crash`: the order's next action throws (chaos matrix). */
      faultHooks: z.boolean(),
      /** Lets broker-origin events (`broker.*`) be injected into order actors, with broker mode `sim` only; audited as injected. */
      brokerEventInjection: z.boolean(),
    }),
    supervision: z.strictObject({
      /** Max restarts within `periodMs` before the supervisor itself gives up (OTP semantics). */
      intensity: z.number().int().min(0),
      periodMs: millis.min(1),
      backoff: z
        .strictObject({ minMs: millis, maxMs: millis, jitter: z.number().min(0).max(1) })
        .refine((b) => b.minMs <= b.maxMs, { message: 'minMs must not exceed maxMs', path: ['maxMs'] }),
    }),
  })
  .superRefine((config, ctx) => {
    // Keys the config names are relative now: one that repeats the namespace would move the data (see withoutRepeatedNamespace).
    const relativeKeys: [string[], string][] = [
      [['audit', 'streamKey'], config.audit.streamKey],
      [['marketData', 'outputs', 'redis', 'key'], config.marketData.outputs.redis.key],
      [['marketData', 'rejects', 'streamKey'], config.marketData.rejects.streamKey],
      [['regulatoryMonitor', 'keyPrefix'], config.regulatoryMonitor.keyPrefix],
    ];
    for (const [path, key] of relativeKeys) {
      const meant = withoutRepeatedNamespace(config.namespace, key);
      if (meant !== null) {
        ctx.addIssue({ code: 'custom', path, message: `is relative to the namespace (the key is "${config.namespace}:<this>"): write ${JSON.stringify(meant)}` });
      }
    }
    // A TTL under two renew intervals expires on one late renewal: the active node would flap.
    if (config.lease.ttlMs < 2 * config.lease.renewMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['lease', 'ttlMs'],
        message: `must be at least 2 x lease.renewMs (${config.lease.renewMs} ms): got ${config.lease.ttlMs} ms`,
      });
    } else if (localValidityMs(config.lease) <= config.lease.renewMs) {
      // The node acts on the lease for the TTL less a drift allowance: that must outlast a renewal.
      ctx.addIssue({
        code: 'custom',
        path: ['lease', 'ttlMs'],
        message: `leaves ${localValidityMs(config.lease)} ms after the drift allowance, not more than lease.renewMs (${config.lease.renewMs} ms): raise it`,
      });
    }
    // Forged broker events are for the simulator only: against a real account they would book fills that never happened.
    if (config.testing.brokerEventInjection && config.broker.mode === 'ib') {
      ctx.addIssue({
        code: 'custom',
        path: ['testing', 'brokerEventInjection'],
        message: 'must be false with broker.mode ib: broker-origin events may only be injected against the simulator (broker.mode sim)',
      });
    }
    // The demo sends market, limit and TWAP orders every few seconds: never against a real account.
    if (config.orders.demo.enabled && config.broker.mode === 'ib') {
      ctx.addIssue({
        code: 'custom',
        path: ['orders', 'demo', 'enabled'],
        message: 'must be false with broker.mode ib: the demo strategy sends orders every few seconds and runs only against the simulator (broker.mode sim)',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export type DeepPartial<T> = T extends object
  ? T extends readonly unknown[]
    ? T
    : { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/**
 * The same schema with every key optional at every depth, still strict about unknown keys.
 * Each source (file, env, flags) is checked with this on its own so a bad value is reported
 * against the source that supplied it, even when a higher-precedence source overrides it.
 */
function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, inner] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = deepPartial(inner).optional();
    }
    return z.strictObject(shape);
  }
  if (schema instanceof z.ZodOptional) return deepPartial(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return deepPartial(schema.in as z.ZodType);
  return schema;
}

export const partialConfigSchema = deepPartial(configSchema);
