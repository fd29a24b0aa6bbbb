import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/log/logger.ts';
import { DEFAULT_REGULATORY_MONITOR_CONFIG } from '../../../src/regulatory/monitoring/monitoringConfig.ts';
import { DEMO_REGULATORY_CONFIG } from '../../../src/regulatory/regulatoryConfig.ts';
import { RegulatoryCapability, type RegulatoryCapabilityDeps } from '../../../src/runtime/capabilities/regulatory.ts';
import { regulatoryPositions, reportEngines } from '../../../src/runtime/capabilities/reportEngines.ts';
import { testRedis, uniquePrefix } from '../../regulatory/monitoring/monitoringKit.ts';
import { emptyTree, readinessChecks } from './capabilityKit.ts';
import { contractResolution } from '../../../src/runtime/capabilities/contractResolution.ts';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const supervision = { intensity: 3, periodMs: 5_000, backoff: { minMs: 0, maxMs: 0, jitter: 0 } };

describe('the regulatory capability', () => {
  it('has no monitor without a regulatoryMonitor block or with enabled false, and names a bad key', () => {
    const namespace = uniquePrefix('rt');
    const { redis, cleanup } = testRedis(namespace);
    cleanups.push(cleanup);
    const tree = emptyTree();
    cleanups.push(() => tree.forceStop());
    const over = (config: RegulatoryCapabilityDeps['config']) =>
      new RegulatoryCapability({ config, tree, metricsRegistry: new Registry(), readiness: readinessChecks(), redis, broker: { session: () => undefined, sessions: new Map() }, contracts: contractResolution({ config, redis, broker: { session: () => undefined }, logger: createSilentLogger() }).resolver, reports: null, logger: createSilentLogger() });
    expect(over({ namespace, supervision, regulatory: DEMO_REGULATORY_CONFIG }).childSpec()).toBeNull();
    expect(over({ namespace, supervision, regulatory: DEMO_REGULATORY_CONFIG, regulatoryMonitor: { ...DEFAULT_REGULATORY_MONITOR_CONFIG, enabled: false } }).childSpec()).toBeNull();
    expect(() => over({ namespace, supervision, regulatory: DEMO_REGULATORY_CONFIG, regulatoryMonitor: { ...DEFAULT_REGULATORY_MONITOR_CONFIG, closeTime: '5pm', closeTimeZone: 'Mars/Olympus' } }).childSpec()).toThrow(
      'invalid regulatoryMonitor configuration: regulatoryMonitor.closeTime: must be a wall-clock time HH:MM (24-hour); regulatoryMonitor.closeTimeZone: must be an IANA time zone, e.g. America/Chicago',
    );
  });

});

describe('the report engines', () => {
  it('without the monitor still give the CFTC engine, over the Redis positions, with the config paths read from the package root', async () => {
    const namespace = uniquePrefix('rt');
    const { redis, cleanup } = testRedis(namespace);
    cleanups.push(cleanup);
    const previous = process.cwd();
    process.chdir('/');
    cleanups.push(() => process.chdir(previous));
    const config = { namespace, supervision, regulatory: DEMO_REGULATORY_CONFIG, regulatoryMonitor: { ...DEFAULT_REGULATORY_MONITOR_CONFIG, enabled: false, keyPrefix: 'positions' } };
    const engines = reportEngines(config, redis);
    await regulatoryPositions(config, redis).recordClose('2025-03-03', [{ account: 'DU1234567', symbol: 'ZC', contractMonth: '202703', net: 251 }]);
    const [file] = await engines.get('CFTC')!.render({ jurisdiction: 'CFTC', type: 'large_trader_positions', reportDate: '2025-03-03', deadline: '2025-03-04T14:00:00Z' });
    expect(file!.fileName).toBe('TWD_20250303_LTR.txt');
    // The positions are under the namespace, at the relative prefix the config names.
    expect(await redis.hgetall(`${namespace}:positions:2025-03-03`)).toEqual({ 'DU1234567|ZC|202703': '251' });
  });
});
