import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/log/logger.ts';
import type { Jurisdiction, ReportEngine } from '../../../src/regulatory/reportTypes.ts';
import { REPORTS_SUPERVISOR_ID, reportBreakerId, reportsConfigOf, ReportsCapability, type ReportsHostConfig } from '../../../src/runtime/capabilities/reports.ts';
import type { SupervisionTree } from '../../../src/supervision/supervisionTree.ts';
import { REDIS_URL } from '../../regulatory/pipeline/pipelineKit.ts';
import { waitUntil } from '../../support/waitUntil.ts';
import { dropDirs, fastReportsConfig, filedReports, regulatorAnswering, type DropDirs } from '../../regulatory/pipeline/regulatorInbox.ts';
import { positionsRequest, TestReportEngine } from '../../regulatory/pipeline/testEngine.ts';
import { emptyTree, runCapability } from './capabilityKit.ts';

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
let reports: ReportsCapability | null = null;
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

let registry = new Registry();

/** The capability over this test's tree, Redis and registry. */
function reportsOver(config: ReportsHostConfig, engines: ReadonlyMap<Jurisdiction, ReportEngine>, env?: NodeJS.ProcessEnv): ReportsCapability {
  tree ??= emptyTree();
  return new ReportsCapability({ config, tree, metricsRegistry: registry, redis: redis!, engines: () => engines, logger: createSilentLogger(), ...(env ? { env } : {}) });
}

describe('the reports capability', () => {
  it('supervises one circuit breaker per configured jurisdiction and files a queued report through it', async () => {
    dirs = await dropDirs();
    prefix = `test-reports-rt-${randomBytes(6).toString('hex')}`;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    registry = new Registry();
    reports = reportsOver(hostConfig(dirs), new Map([['CFTC', new TestReportEngine()]]));
    await runCapability(tree!, reports);
    expect(reports.service).not.toBeNull();

    const node = tree!.describe().children.find((child) => child.systemId === REPORTS_SUPERVISOR_ID)!;
    expect(node.children.map((child) => [child.systemId, child.kind, child.details?.state])).toEqual([[reportBreakerId('CFTC'), 'circuit-breaker', 'closed']]);
    expect(node.details).toEqual({ inFlight: 0, jurisdictions: ['CFTC'] });

    const regulator = regulatorAnswering(dirs);
    try {
      const intake = await reports!.enqueuer()!(positionsRequest());
      expect(intake).toMatchObject({ accepted: true });
      await waitUntil(async () => (await reports!.service!.ledger.entry('TEST-positions-2025-03-03')).ack !== undefined, 'the acknowledgement');
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
    reports = reportsOver(hostConfig(dirs), new Map());
    await runCapability(tree!, reports);
    expect(await reports.enqueuer()!({ jurisdiction: 'CFTC' } as never)).toEqual({ accepted: false, errors: ['type: required', 'reportDate: required', 'deadline: required'] });
  });

  it('is off without a reports section or with enabled false', async () => {
    dirs = await dropDirs();
    expect(reportsOver({ namespace: 'unused', redis: { url: REDIS_URL }, supervision }, new Map()).childSpec()).toBeNull();
    expect(reportsOver(hostConfig(dirs, { enabled: false }), new Map()).childSpec()).toBeNull();
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
    const config = hostConfig(dirs, { transports: { CFTC: { kind: 'https', url: 'https://reports.example.test/v1', timeoutMs: 1_000, bearerTokenEnv: 'TW_TEST_CFTC_TOKEN' } } });
    const refused = reportsOver(config, new Map(), {});
    await expect(runCapability(tree!, refused)).rejects.toThrow(
      'reports.transports.CFTC.bearerTokenEnv names TW_TEST_CFTC_TOKEN, which is not set',
    );
  });
});
