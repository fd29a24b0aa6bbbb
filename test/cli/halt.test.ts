import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import { registerHaltCommand } from '../../src/cli/commands/halt.ts';
import { registerResumeCommand } from '../../src/cli/commands/resume.ts';
import { IntakeHalt } from '../../src/orders/intakeHalt.ts';
import { HaltSwitch } from '../../src/runtime/haltSwitch.ts';
import type { RuntimeView } from '../../src/admin/runtimeView.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { runCliWith } from './cliHarness.ts';
import { CLI_TEST_TOKEN, startLiveAdmin } from './liveServer.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { REDIS_URL } from '../support/redisUrl.ts';

const redis = new Redis(REDIS_URL);
const prefix = `test-cli-halt-${process.pid}-${Math.random().toString(36).slice(2)}`;
afterAll(async () => {
  await deleteByPrefix(redis, prefix);
  redis.disconnect();
});

describe('tradewire halt and resume (through the admin API, with the token)', () => {
  it('halts with --cancel-all, says what it did, and resume lets intake run again', async () => {
    const { server, view } = await startLiveAdmin();
    const intake = new IntakeHalt();
    let cancelAsked = false;
    (view as RuntimeView).haltSwitch = new HaltSwitch({
      halt: intake,
      trail: new OrderAuditTrail(redis, { key: `${prefix}:audit` }),
      logger: createSilentLogger(),
      store: { redis, key: `${prefix}:halt` },
      cancelAll: () => ((cancelAsked = true), 2),
    });
    try {
      const env = { TRADEWIRE_ADMIN_TOKEN: CLI_TEST_TOKEN };
      const halted = await runCliWith([registerHaltCommand], ['halt', '--url', server.url, '--reason', 'desk check', '--cancel-all', '--operator', 'alice'], env);
      expect(halted.exitCode).toBe(0);
      expect(halted.out).toMatch(/^halted: new orders that add risk are refused until `tradewire resume` \(causes: operator; 2 working orders asked to cancel; audit seq \d+, request id \S+\)$/);
      expect(cancelAsked).toBe(true);
      expect(intake.reason).toMatch(/halted by alice .*: desk check/);

      const resumed = await runCliWith([registerResumeCommand], ['resume', '--url', server.url, '--reason', 'checked'], env);
      expect(resumed.exitCode).toBe(0);
      expect(intake.reason).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('needs --reason, and the token', async () => {
    const { server } = await startLiveAdmin();
    try {
      const noReason = await runCliWith([registerHaltCommand], ['halt', '--url', server.url], { TRADEWIRE_ADMIN_TOKEN: CLI_TEST_TOKEN });
      expect(noReason.exitCode).toBe(2);
      expect(noReason.err).toMatch(/--reason is required/);
      const noToken = await runCliWith([registerHaltCommand], ['halt', '--url', server.url, '--reason', 'x'], {});
      expect(noToken.exitCode).not.toBe(0);
    } finally {
      await server.close();
    }
  });
});
