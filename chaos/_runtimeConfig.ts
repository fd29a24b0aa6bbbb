import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The config file's content as a chaos run writes it (only what it sets; the rest is the defaults). */
export interface ChaosConfig {
  redis: { stateFile: string | false };
  broker: {
    mode: 'ib';
    ib: { host: string; port: number; clientId: number; extraClientIds: number[]; backupGateways: { host: string; port: number }[] };
    connection: Record<string, unknown>;
  };
  orders: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The runtime's config for a chaos run: the IB connection points at a standalone simulator with
 * short timeouts (faults are found in milliseconds, not the production seconds), the demo strategy
 * is off, a job held by a killed process is handed out again after 2 s, and the continuity state file
 * is the run's own (so a restarted runtime still detects a wipe). Returns the file's path
 * (for TRADEWIRE_CONFIG). `adjust` may change the config before it is written (the failover run's
 * nodes take other client ids and share one namespace, so no state file).
 */
export function writeChaosConfig(simPort: number, adjust: (config: ChaosConfig) => void = () => {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-chaos-'));
  const config: ChaosConfig = {
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
  adjust(config);
  const file = path.join(dir, 'chaos.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}
