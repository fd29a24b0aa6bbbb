import { describe, expect, it } from 'vitest';
import { runCli } from '../e2e/processHarness.ts';
import { unusedPort } from './liveServer.ts';

describe('tradewire start with a read token equal to the operator token', () => {
  it('refuses before anything starts (even before Redis is tried): exit 2, the reason, never the token', async () => {
    const token = 'same-token-for-both-roles';
    // Nothing listens at this Redis: a start that got past the token check would fail there, with exit 1.
    const p = runCli(['start'], { TRADEWIRE_ADMIN_TOKEN: token, TRADEWIRE_READ_TOKEN: token, REDIS_URL: `redis://127.0.0.1:${await unusedPort()}` });
    const { code } = await p.exited;
    const output = p.lines.join('\n');
    expect(code).toBe(2);
    expect(output).toContain('tradewire: invalid configuration');
    expect(output).toContain('admin.readToken (TRADEWIRE_READ_TOKEN) must differ from admin.token (TRADEWIRE_ADMIN_TOKEN)');
    expect(output).not.toContain(token);
  });
});
