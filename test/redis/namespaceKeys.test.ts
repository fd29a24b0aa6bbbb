import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditKeys } from '../../src/audit/index.ts';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { DEFAULT_REFERENCE_DATA_CACHE_CONFIG } from '../../src/ib/referenceData/index.ts';
import { configuredKeys, DEFAULT_NAMESPACE, namespaceKeys, RELATIVE_KEY_DEFAULTS, withoutRepeatedNamespace, type NamespaceKeys } from '../../src/redis/namespaceKeys.ts';
import { DEFAULT_MARKET_DATA_CONFIG } from '../../src/marketdata/marketDataConfig.ts';
import { DEFAULT_REGULATORY_MONITOR_CONFIG } from '../../src/regulatory/monitoring/monitoringConfig.ts';
import { PACKAGE_ROOT } from '../../src/packageRoot.ts';

/** What the config schema accepts as a namespace: one key segment. */
const namespaceArb = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);
/** A relative key as the config may name one (no whitespace), hash tags included. */
const relativeArb = fc.stringMatching(/^[!-~]{1,40}$/);

/** Every key and prefix of a namespace, with the functions applied to `relative`. */
function everyKey(keys: NamespaceKeys, relative: string): string[] {
  return [
    keys.under(relative),
    keys.bullPrefix,
    keys.ordersPrefix,
    keys.orderBreaks,
    keys.continuityEpoch,
    keys.operatorHalt,
    keys.ibOrderIdHighWater(relative),
    keys.lease,
    keys.fence,
    keys.reportsLedger,
    keys.fillStream,
    keys.fillStreamMarker(relative),
    keys.eventStream,
    keys.eventStreamFillsPosition,
    keys.auditStream(relative),
    keys.auditStream(),
    keys.marketDataPrices(relative),
    keys.marketDataRejects(relative),
    keys.regulatoryPositions(relative),
    keys.referenceDataCache(relative),
  ];
}

/** Redis Cluster's hash tag rule: the part between the first `{` and the next `}`, if not empty; else the whole key. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

describe('namespaceKeys', () => {
  it('puts every key under the namespace (fast-check)', () => {
    fc.assert(
      fc.property(namespaceArb, relativeArb, (namespace, relative) => {
        for (const key of everyKey(namespaceKeys(namespace), relative)) expect(key.startsWith(`${namespace}:`)).toBe(true);
      }),
    );
  });

  it('two namespaces share no key, nor any key under a prefix of the other (fast-check)', () => {
    fc.assert(
      fc.property(namespaceArb, namespaceArb, relativeArb, (a, b, relative) => {
        fc.pre(a !== b);
        // The namespace has no colon: `a:` can never start `b:...`, whatever follows.
        for (const key of everyKey(namespaceKeys(a), relative)) expect(key.startsWith(`${b}:`)).toBe(false);
      }),
    );
  });

  it('spells the keys a runtime in the default namespace wrote before namespaces existed, except the queues', () => {
    const keys = namespaceKeys();
    expect(keys.namespace).toBe(DEFAULT_NAMESPACE);
    expect([keys.ordersPrefix, keys.orderBreaks, keys.auditStream(), keys.continuityEpoch, keys.operatorHalt, keys.ibOrderIdHighWater('ib'), keys.reportsLedger]).toEqual([
      'tradewire:orders',
      'tradewire:orders:breaks',
      'tradewire:audit:orders',
      'tradewire:continuity:epoch',
      'tradewire:halt:operator',
      'tradewire:ib:ib:orderIdHighWater',
      'tradewire:reports',
    ]);
    expect([keys.marketDataPrices(), keys.marketDataRejects(), keys.regulatoryPositions(), keys.referenceDataCache()]).toEqual([
      'tradewire:md:prices',
      'tradewire:md:rejects',
      'tradewire:regulatory:positions',
      'tradewire:refdata:contractDetails:',
    ]);
    // BullMQ's own default was `bull`: queues move under the namespace.
    expect(keys.bullPrefix).toBe('tradewire:bull');
  });

  it('the relative defaults are the ones config/default.json and the modules carry', () => {
    const shipped = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'config', 'default.json'), 'utf8'));
    expect({
      auditStream: shipped.audit.streamKey,
      marketDataPrices: shipped.marketData.outputs.redis.key,
      marketDataRejects: shipped.marketData.rejects.streamKey,
      regulatoryPositions: shipped.regulatoryMonitor.keyPrefix,
      referenceDataCache: DEFAULT_REFERENCE_DATA_CACHE_CONFIG.keyPrefix,
    }).toEqual(RELATIVE_KEY_DEFAULTS);
    expect(DEFAULT_MARKET_DATA_CONFIG.outputs.redis.key).toBe(RELATIVE_KEY_DEFAULTS.marketDataPrices);
    expect(DEFAULT_MARKET_DATA_CONFIG.rejects.streamKey).toBe(RELATIVE_KEY_DEFAULTS.marketDataRejects);
    expect(DEFAULT_REGULATORY_MONITOR_CONFIG.keyPrefix).toBe(RELATIVE_KEY_DEFAULTS.regulatoryPositions);
  });

  it('configuredKeys resolves the keys a configuration names under its namespace', () => {
    const config = loadConfig({
      env: { TRADEWIRE_NAMESPACE: 'paper-1' },
      overrides: { audit: { streamKey: '{audit:orders}' }, marketData: { outputs: { redis: { key: 'prices' } }, rejects: { streamKey: 'rejects' } }, regulatoryMonitor: { keyPrefix: 'reg:pos' } },
    });
    const keys = configuredKeys(config);
    expect([keys.auditStreamKey, keys.marketDataPricesKey, keys.marketDataRejectsKey, keys.regulatoryPositionsPrefix, keys.bullPrefix]).toEqual([
      'paper-1:{audit:orders}',
      'paper-1:prices',
      'paper-1:rejects',
      'paper-1:reg:pos',
      'paper-1:bull',
    ]);
  });

  it('a hash-tagged relative audit key keeps every audit key of any namespace in one Cluster slot (fast-check)', () => {
    fc.assert(
      fc.property(namespaceArb, fc.stringMatching(/^[!-~]{1,20}$/), (namespace, clientOrderId) => {
        const audit = auditKeys(namespaceKeys(namespace).auditStream('{audit:orders}'));
        const every = [audit.stream, audit.meta, audit.execIds, audit.runtimeIndex, audit.orderIndex(clientOrderId)];
        expect(new Set(every.map(hashedPart))).toEqual(new Set(['audit:orders']));
      }),
    );
  });
});

describe('a config-named key that repeats the namespace', () => {
  it('is the absolute key of old: the relative one meant is named (fast-check)', () => {
    expect(withoutRepeatedNamespace('tradewire', 'tradewire:audit:orders')).toBe('audit:orders');
    expect(withoutRepeatedNamespace('tradewire', '{tradewire:audit:orders}')).toBe('{audit:orders}');
    expect(withoutRepeatedNamespace('tradewire', 'audit:orders')).toBeNull();
    expect(withoutRepeatedNamespace('tradewire', 'tradewire-audit')).toBeNull();
    fc.assert(
      fc.property(namespaceArb, relativeArb, (namespace, relative) => {
        fc.pre(withoutRepeatedNamespace(namespace, relative) === null);
        expect(withoutRepeatedNamespace(namespace, `${namespace}:${relative}`)).toBe(relative);
      }),
    );
  });

  it('is refused at load, naming the field and the key meant; nothing starts', () => {
    const refusal = (overrides: object, env: NodeJS.ProcessEnv = {}) => {
      try {
        loadConfig({ env, overrides });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.problem}`);
      }
      throw new Error('loaded');
    };
    expect(refusal({ audit: { streamKey: 'tradewire:audit:orders' } })).toEqual([
      'audit.streamKey: is relative to the namespace (the key is "tradewire:<this>"): write "audit:orders"; got "tradewire:audit:orders"',
    ]);
    expect(refusal({ marketData: { outputs: { redis: { key: 'paper-1:md:prices' } }, rejects: { streamKey: '{paper-1:md:rejects}' } }, regulatoryMonitor: { keyPrefix: 'paper-1:regulatory:positions' } }, { TRADEWIRE_NAMESPACE: 'paper-1' })).toEqual([
      'marketData.outputs.redis.key: is relative to the namespace (the key is "paper-1:<this>"): write "md:prices"; got "paper-1:md:prices"',
      'marketData.rejects.streamKey: is relative to the namespace (the key is "paper-1:<this>"): write "{md:rejects}"; got "{paper-1:md:rejects}"',
      'regulatoryMonitor.keyPrefix: is relative to the namespace (the key is "paper-1:<this>"): write "regulatory:positions"; got "paper-1:regulatory:positions"',
    ]);
    // Another namespace's name in a key is just a relative key.
    expect(configuredKeys(loadConfig({ env: { TRADEWIRE_NAMESPACE: 'paper-1' }, overrides: { audit: { streamKey: 'tradewire:audit:orders' } } })).auditStreamKey).toBe('paper-1:tradewire:audit:orders');
  });
});
