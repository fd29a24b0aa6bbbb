import path from 'node:path';
import { loadConfig, type Config, type DeepPartial } from '../../src/config/index.ts';
import { REDIS_URL } from './redisUrl.ts';
import { SIM_CLOCK_ENV } from './simClock.ts';

export interface TestNodeConfig {
  /** A namespace of the test's own, so its keys can be deleted afterwards. */
  namespace: string;
  /** A folder of the test's own for the reports capability's CFTC outbox and inbox (it writes files there). */
  reportDir: string;
  admin: { token: string; readToken?: string; host?: string };
  redisUrl?: string;
  /** Sections set here replace those above whole (`orders` with its demo, say). */
  overrides?: DeepPartial<Config>;
}

/**
 * The config of a runtime a test starts in-process with `startMainProcess`, as `tradewire start`
 * runs it (the embedded simulator, on the test instant): the admin API on a free port, the demo
 * strategy off.
 */
export function testNodeConfig({ namespace, reportDir, admin, redisUrl = REDIS_URL, overrides = {} }: TestNodeConfig): Config {
  return loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: {
      namespace,
      redis: { url: redisUrl },
      orders: { demo: { enabled: false } },
      reports: { transports: { CFTC: { kind: 'file', outboxDir: path.join(reportDir, 'outbox'), inboxDir: path.join(reportDir, 'inbox'), pollIntervalMs: 1_000, settleMs: 500 } } },
      ...overrides,
      admin: { port: 0, ...admin },
    },
  });
}
