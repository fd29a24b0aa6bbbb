import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The runtime's config for a chaos run: the IB connection points at a standalone simulator with
 * short timeouts (faults are found in milliseconds, not the production seconds), the demo strategy
 * is off, a job held by a killed process is handed out again after 2 s, and the continuity state file
 * is the run's own (so a restarted runtime still detects a wipe). Returns the file's path
 * (for TRADEWIRE_CONFIG).
 */
export function writeChaosConfig(simPort: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-chaos-'));
  const config = {
    // The continuity state file lives with the run, not in the shared default place.
    redis: { stateFile: path.join(dir, 'continuity.json') },
    broker: {
      mode: 'ib',
      ib: { host: '127.0.0.1', port: simPort, clientId: 1, extraClientIds: [2, 3, 4], backupGateways: [] },
      connection: {
        heartbeatIntervalMs: 500,
        heartbeatTimeoutMs: 500,
        connectTimeoutMs: 2_000,
        handshakeTimeoutMs: 2_000,
        backoff: { minMs: 50, maxMs: 500, jitter: 0.2 },
        pacing: { enabled: false, ratePerSecond: 45, burst: 5 },
      },
    },
    orders: { queueLockMs: 2_000, ackTimeoutMs: 2_000, cancelTimeoutMs: 2_000, demo: { enabled: false, intervalMs: 5_000, account: 'DU1234567' } },
  };
  const file = path.join(dir, 'chaos.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}
