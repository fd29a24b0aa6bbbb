import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DropDirs {
  root: string;
  outbox: string;
  inbox: string;
  remove(): Promise<void>;
}

export async function dropDirs(): Promise<DropDirs> {
  const root = await mkdtemp(join(tmpdir(), 'tradewire-reports-'));
  const inbox = join(root, 'inbox');
  await mkdir(inbox);
  return { root, outbox: join(root, 'outbox'), inbox, remove: () => rm(root, { recursive: true, force: true }) };
}

/** A reports pipeline filing into `dirs`, with retries, polling and settling short enough for tests. */
export function fastReportsConfig(dirs: DropDirs): Record<string, unknown> {
  return {
    enabled: true,
    attempts: 3,
    backoffMs: 5,
    ackTimeoutMs: 10_000,
    claimMs: 10_000,
    concurrency: 2,
    queueLockMs: 5_000,
    breaker: { failureRateThreshold: 50, slidingWindowSize: 10, minimumNumberOfCalls: 5, waitDurationInOpenStateMs: 60_000 },
    transports: { CFTC: { kind: 'file', outboxDir: dirs.outbox, inboxDir: dirs.inbox, pollIntervalMs: 10, settleMs: 20 } },
  };
}

/** Outbox report files, temporary files excluded. */
export async function filedReports(dirs: DropDirs): Promise<string[]> {
  try {
    return (await readdir(dirs.outbox)).filter((name) => !name.endsWith('.tmp')).sort();
  } catch {
    return [];
  }
}

/**
 * A regulator's side of a file drop: every report that appears in the outbox is answered with an
 * `.ack` (or `.nak` with `reason`) in the inbox, once.
 */
export function regulatorAnswering(dirs: DropDirs, answer: { nak?: string } = {}): { stop(): void } {
  const answered = new Set<string>();
  const timer = setInterval(async () => {
    for (const name of await filedReports(dirs)) {
      if (answered.has(name)) continue;
      answered.add(name);
      const stem = name.split('--')[0]!;
      if (answer.nak !== undefined) await writeFile(join(dirs.inbox, `${stem}.nak`), answer.nak);
      else await writeFile(join(dirs.inbox, `${stem}.ack`), `REF-${stem}`);
    }
  }, 10);
  return { stop: () => clearInterval(timer) };
}
