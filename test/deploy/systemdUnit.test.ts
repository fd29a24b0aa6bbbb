import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longestShutdownTimeoutMs, readRepoFile, ROOT } from './deployFiles.ts';

const UNIT = readRepoFile('deploy/systemd/tradewire.service');
const INSTALL_DIR = '/opt/tradewire';

/** Every `Key=value` of a section, in order (a key may repeat, as Environment= does). */
function section(name: string): [string, string][] {
  const body = UNIT.split(/^\[/m).find((part) => part.startsWith(`${name}]`))!;
  return body
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
}
const service = section('Service');
const value = (key: string) => service.filter(([k]) => k === key).map(([, v]) => v);
const one = (key: string) => {
  expect(value(key), key).toHaveLength(1);
  return value(key)[0]!;
};

describe('deploy/systemd/tradewire.service', () => {
  it('passes systemd-analyze verify, with no unknown key or other complaint (installed at this checkout, with this node)', () => {
    // verify checks that ExecStart's binary exists: point the unit at this checkout and this node.
    const dir = mkdtempSync(path.join(tmpdir(), 'tradewire-unit-'));
    try {
      const unit = path.join(dir, 'tradewire.service');
      writeFileSync(unit, UNIT.replaceAll(INSTALL_DIR, ROOT).replace('/usr/bin/node', process.execPath));
      const verified = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
      expect(verified.error?.message, 'systemd-analyze must be installed (apt-get install -y systemd)').toBeUndefined();
      // An unknown key is only a warning on stderr, with exit code 0.
      expect({ status: verified.status, stderr: verified.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs node on bin/tradewire.js start as an unprivileged user, from the install directory', () => {
    expect(one('ExecStart')).toBe(`/usr/bin/node --max-semi-space-size=32 ${INSTALL_DIR}/bin/tradewire.js start`);
    expect(one('WorkingDirectory')).toBe(INSTALL_DIR);
    expect(one('User')).not.toMatch(/^(root|0)$/);
    expect(one('EnvironmentFile')).toBe('/etc/tradewire/tradewire.env');
  });

  it('stops with SIGTERM and waits longer than the graceful shutdown takes; restarts on failure but not on a bad configuration', () => {
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(Number(/^(\d+)s$/.exec(one('TimeoutStopSec'))![1]) * 1000).toBeGreaterThan(longestShutdownTimeoutMs());
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartPreventExitStatus')).toBe('2');
  });

  it('is hardened, writing only var/, where the Redis state file lives (PrivateTmp would empty the default one)', () => {
    for (const [key, expected] of [['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['PrivateDevices', 'yes'], ['RestrictSUIDSGID', 'yes'], ['CapabilityBoundingSet', '']] as const) {
      expect(one(key), key).toBe(expected);
    }
    expect(one('ReadWritePaths')).toBe(`${INSTALL_DIR}/var`);
    const stateFile = value('Environment').find((entry) => entry.startsWith('TRADEWIRE_REDIS_STATE_FILE='))!.split('=')[1]!;
    expect(stateFile.startsWith(`${INSTALL_DIR}/var/`)).toBe(true);
    // V8's JIT writes executable memory: this one would stop node.
    expect(value('MemoryDenyWriteExecute')).toEqual([]);
  });
});
