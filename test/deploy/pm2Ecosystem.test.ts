import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longestShutdownTimeoutMs, ROOT, SECRET_KEY } from './deployFiles.ts';

interface App {
  name: string;
  cwd: string;
  script: string;
  args: string[];
  node_args: string[];
  exec_mode: string;
  instances: number;
  kill_timeout: number;
  autorestart: boolean;
  stop_exit_codes: number[];
  env: Record<string, string>;
}

const load = (env: Record<string, string> = {}) => {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const file = path.join(ROOT, 'deploy/pm2/ecosystem.config.cjs');
    const require = createRequire(import.meta.url);
    delete require.cache[file];
    return (require(file) as { apps: App[] }).apps;
  } finally {
    for (const [key, was] of Object.entries(saved)) {
      if (was === undefined) delete process.env[key];
      else process.env[key] = was;
    }
  }
};

describe('deploy/pm2/ecosystem.config.cjs', () => {
  it('loads with node and runs one forked process per node: node on bin/tradewire.js start, from the checkout it sits in', () => {
    const apps = load();
    expect(apps).toHaveLength(1);
    const [app] = apps;
    expect(app).toMatchObject({ name: 'tradewire', cwd: ROOT, args: ['start'], exec_mode: 'fork', instances: 1, autorestart: true });
    expect(app!.script).toBe(path.join(ROOT, 'bin/tradewire.js'));
    expect(existsSync(app!.script)).toBe(true);
    expect(app!.node_args).toEqual(['--max-semi-space-size=32', '--env-file=/etc/tradewire/tradewire.env']);
    expect(load({ TRADEWIRE_ENV_FILE: '/srv/tw.env' })[0]!.node_args).toContain('--env-file=/srv/tw.env');
  });

  it('waits longer than the graceful shutdown takes, and does not restart a clean stop or a bad configuration', () => {
    const [app] = load();
    expect(app!.kill_timeout).toBeGreaterThan(longestShutdownTimeoutMs());
    expect(app!.stop_exit_codes).toEqual([0, 2]);
  });

  it('keeps secrets in the env file, and the state file on var/', () => {
    const [app] = load();
    for (const key of Object.keys(app!.env)) expect(SECRET_KEY.test(key), key).toBe(false);
    expect(app!.env.TRADEWIRE_REDIS_STATE_FILE).toBe(path.join(ROOT, 'var/state/continuity.json'));
    expect(app!.env.TRADEWIRE_NODE_ID).toBeTruthy();
  });

  it("this node takes the env file node_args name (Node 20.6+'s --env-file)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-pm2-'));
    try {
      const envFile = path.join(dir, 'tradewire.env');
      writeFileSync(envFile, 'TRADEWIRE_ADMIN_TOKEN=from-the-env-file\n');
      const [app] = load({ TRADEWIRE_ENV_FILE: envFile });
      const run = spawnSync(process.execPath, [...app!.node_args, '-e', 'process.stdout.write(process.env.TRADEWIRE_ADMIN_TOKEN ?? "")'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'from-the-env-file' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
