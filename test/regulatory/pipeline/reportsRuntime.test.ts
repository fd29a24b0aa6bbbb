import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/log/logger.ts';
import type { SubtreeFactory } from '../../../src/runtime/mainTree.ts';
import { REPORTS_SUPERVISOR_ID, reportBreakerId, reportsConfigOf, reportsSubtree, startReports, type ReportsHostConfig, type ReportsRuntime } from '../../../src/runtime/reportsRuntime.ts';
import { createSupervisionServices } from '../../../src/supervision/services.ts';
import { SupervisionTree } from '../../../src/supervision/supervisionTree.ts';
import { REDIS_URL } from './pipelineKit.ts';
import { dropDirs, fastReportsConfig, filedReports, regulatorAnswering, type DropDirs } from './regulatorInbox.ts';
import { positionsRequest, TestReportEngine } from './testEngine.ts';
import { waitUntil } from '../../support/waitUntil.ts';

// Compile-time: the subtree plugs into `tradewire start` as any other.
const _factory: SubtreeFactory = reportsSubtree;
void _factory;

const supervision = { intensity: 3, periodMs: 5_000, backoff: { minMs: 0, maxMs: 0, jitter: 0 } };

/** Every key the runtime writes is under the namespace: each test has its own. */
function hostConfig(dirs: DropDirs, overrides: Record<string, unknown> = {}): ReportsHostConfig {
  return {
    namespace: prefix,
    redis: { url: REDIS_URL },
    supervision,
    reports: { ...fastReportsConfig(dirs), ...overrides },
  };
}

let tree: SupervisionTree | undefined;
let reports: ReportsRuntime | null = null;
let redis: Redis | undefined;
let dirs: DropDirs | undefined;
let prefix = '';
afterEach(async () => {
  await reports?.stop();
  await tree?.stop();
  if (redis) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
  await dirs?.remove();
  reports = null;
  tree = undefined;
  redis = undefined;
  dirs = undefined;
});

describe('reports runtime', () => {
  it('supervises one circuit breaker per configured jurisdiction and files a queued report through it', async () => {
    dirs = await dropDirs();
    prefix = `test-reports-rt-${randomBytes(6).toString('hex')}`;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const resources = { redis, logger: createSilentLogger() };
    const config = hostConfig(dirs);
    const spec = reportsSubtree(config, resources)!;
    tree = new SupervisionTree({ root: { children: [spec] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
    const registry = new Registry();
    reports = await startReports(config, { tree, metricsRegistry: registry }, resources, new Map([['CFTC', new TestReportEngine()]]));
    expect(reports).not.toBeNull();

    const node = tree.describe().children.find((child) => child.systemId === REPORTS_SUPERVISOR_ID)!;
    expect(node.children.map((child) => [child.systemId, child.kind, child.details?.state])).toEqual([[reportBreakerId('CFTC'), 'circuit-breaker', 'closed']]);
    expect(node.details).toEqual({ inFlight: 0, jurisdictions: ['CFTC'] });

    const regulator = regulatorAnswering(dirs);
    try {
      const intake = await reports!.enqueue(positionsRequest());
      expect(intake).toMatchObject({ accepted: true });
      await waitUntil(async () => (await reports!.service.ledger.entry('TEST-positions-2025-03-03')).ack !== undefined, 'the acknowledgement');
    } finally {
      regulator.stop();
    }
    expect(await filedReports(dirs)).toHaveLength(1);
    // The queue and the ledger are the namespace's.
    expect(await redis.exists(`${prefix}:reports:filed:TEST-positions-2025-03-03`, `${prefix}:bull:reports:meta`)).toBe(2);
    expect(await registry.getSingleMetricAsString('tradewire_report_transmissions_total')).toContain('tradewire_report_transmissions_total{jurisdiction="CFTC",outcome="submitted"} 1');
  });

  it('refuses an invalid request at intake with its errors', async () => {
    dirs = await dropDirs();
    prefix = `test-reports-rt-${randomBytes(6).toString('hex')}`;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const resources = { redis, logger: createSilentLogger() };
    const config = hostConfig(dirs);
    tree = new SupervisionTree({ root: { children: [reportsSubtree(config, resources)!] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
    reports = await startReports(config, { tree, metricsRegistry: new Registry() }, resources, new Map());
    expect(await reports!.enqueue({ jurisdiction: 'CFTC' })).toEqual({ accepted: false, errors: ['type: required', 'reportDate: required', 'deadline: required'] });
  });

  it('refuses an NFA report at intake: the NFA takes no large trader position reports', async () => {
    dirs = await dropDirs();
    prefix = `test-reports-rt-${randomBytes(6).toString('hex')}`;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const resources = { redis, logger: createSilentLogger() };
    const config = hostConfig(dirs);
    tree = new SupervisionTree({ root: { children: [reportsSubtree(config, resources)!] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
    reports = await startReports(config, { tree, metricsRegistry: new Registry() }, resources, new Map());
    const request = { jurisdiction: 'NFA', type: 'large_trader_positions', reportDate: '2026-03-02', deadline: '2026-03-03T14:00:00Z' };
    expect(await reports!.enqueue(request)).toEqual({
      accepted: false,
      errors: [expect.stringMatching(/^NFA report type 'large_trader_positions' is not supported: .*NFA takes no large trader position reports.*use jurisdiction CFTC/)],
    });
  });

  it('is off without a reports section or with enabled false', async () => {
    dirs = await dropDirs();
    const resources = { redis: undefined as unknown as Redis, logger: createSilentLogger() };
    expect(reportsSubtree({ namespace: 'unused', redis: { url: REDIS_URL }, supervision }, resources)).toBeNull();
    expect(reportsSubtree(hostConfig(dirs, { enabled: false }), resources)).toBeNull();
  });

  it('names the offending key of an invalid reports section', async () => {
    const here = (dirs = await dropDirs());
    expect(() => reportsConfigOf(hostConfig(here, { attempts: 0, transports: { CFTC: { kind: 'https', url: 'http://x.test', timeoutMs: 1 } } }))).toThrow(
      'invalid reports configuration: reports.attempts: Too small: expected number to be >=1; reports.transports.CFTC.url: must be an https:// URL',
    );
  });

  it('refuses to start, naming the variable, when the bearer token variable is not set', async () => {
    dirs = await dropDirs();
    prefix = `test-reports-rt-${randomBytes(6).toString('hex')}`;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const resources = { redis, logger: createSilentLogger() };
    const config = hostConfig(dirs, { transports: { CFTC: { kind: 'https', url: 'https://reports.example.test/v1', timeoutMs: 1_000, bearerTokenEnv: 'TW_TEST_CFTC_TOKEN' } } });
    tree = new SupervisionTree({ root: { children: [reportsSubtree(config, resources)!] }, services: createSupervisionServices({ logger: createSilentLogger() }) }).start();
    await expect(startReports(config, { tree, metricsRegistry: new Registry() }, resources, new Map(), { env: {} })).rejects.toThrow(
      'reports.transports.CFTC.bearerTokenEnv names TW_TEST_CFTC_TOKEN, which is not set',
    );
  });
});
