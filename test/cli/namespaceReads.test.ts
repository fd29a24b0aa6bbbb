import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../src/audit/index.ts';
import { registerAuditCommand } from '../../src/cli/commands/audit.ts';
import { registerMdCommand } from '../../src/cli/commands/md.ts';
import { registerOrderCommand } from '../../src/cli/commands/order.ts';
import { configuredKeys } from '../../src/redis/namespaceKeys.ts';
import { loadConfig } from '../../src/config/index.ts';
import { BreakRegistry } from '../../src/orders/breakRegistry.ts';
import { deleteByPrefix } from '../support/redisKeys.ts';
import { runCliWith } from './cliHarness.ts';
import { REDIS_URL } from '../support/redisUrl.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';

const namespace = `test-ns-reads-${randomBytes(4).toString('hex')}`;
// The keys a runtime started with this namespace (and the shipped config) writes.
const keys = configuredKeys(loadConfig({ env: SIM_CLOCK_ENV, overrides: { namespace } }));
const redis = new Redis(REDIS_URL);
afterAll(async () => {
  await deleteByPrefix(redis, `${namespace}:`);
  redis.disconnect();
});

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCliWith([registerOrderCommand, registerAuditCommand, registerMdCommand], args, { REDIS_URL, ...env });

describe('read-only commands find what a runtime wrote under its namespace (--namespace, else TRADEWIRE_NAMESPACE)', () => {
  it('order breaks reads <ns>:orders:breaks', async () => {
    await new BreakRegistry(redis, `${keys.ordersPrefix}:breaks`).record({ symbol: 'CL', kind: 'position_mismatch', detail: 'ours 2, broker 3', at: '2026-01-01T00:00:00.000Z' });
    expect((await run(['order', 'breaks', '--namespace', namespace])).out).toBe('CL  position_mismatch  2026-01-01T00:00:00.000Z  ours 2, broker 3');
    expect((await run(['order', 'breaks'], { TRADEWIRE_NAMESPACE: namespace })).out).toMatch(/^CL {2}position_mismatch/);
    expect((await run(['order', 'breaks', '--namespace', `${namespace}-other`])).out).toBe('no open breaks');
  });

  it('audit verify reads the namespace audit stream (audit.streamKey under it)', async () => {
    const trail = new OrderAuditTrail(redis, { key: keys.auditStreamKey });
    await trail.append({ kind: 'adminRequest', actor: 'admin', method: 'POST', route: '/halt', requestId: 'r-1', role: 'operator', bodyDigest: 'a'.repeat(64), statusCode: 200 });
    const verified = await run(['audit', 'verify', '--namespace', namespace]);
    expect(verified.exitCode).toBe(0);
    expect(verified.out).toContain(`audit trail ${namespace}:audit:orders`);
    expect(verified.out).toContain('checked 1 record');
    expect((await run(['audit', 'verify'], { TRADEWIRE_NAMESPACE: namespace })).out).toContain('checked 1 record');
  });

  it('--key (a full key) and --namespace together are refused; so is a namespace that is not one key segment', async () => {
    for (const args of [
      ['audit', 'verify', '--key', 'x:audit', '--namespace', namespace],
      ['md', 'rejects', '--key', 'x:md', '--namespace', namespace],
    ]) {
      const refused = await run(args);
      expect(refused.exitCode).toBe(2);
      expect(refused.err).toContain('give --key (a full stream key) or --namespace, not both');
    }
    const bad = await run(['order', 'list', '--namespace', 'has space']);
    expect(bad.exitCode).toBe(2);
    expect(bad.err).toMatch(/namespace: must be letters, digits/);
  });
});
