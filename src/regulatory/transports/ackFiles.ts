import { mkdir, open, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Ack } from './reportTransport.ts';
import { ackFileNames } from './reportFileNames.ts';

const MAX_REASON_BYTES = 4_096;
export const PROCESSED_DIR = 'processed';

export interface FoundAck {
  ack: Ack;
  /** Where the file was found: still in the inbox, or already moved by an earlier attempt. */
  location: 'inbox' | 'processed';
  path: string;
}

export interface FindAckOptions {
  now: () => Date;
  /**
   * An inbox file modified less than this long ago is left for the next look: a writer that does
   * not write atomically may not have finished (an empty `.nak` would lose its reason).
   */
  settleMs: number;
}

/**
 * The acknowledgement of a report in an inbox: `<stem>.ack` (accepted) or `<stem>.nak` (rejected,
 * its text the reason). Looks in `processed/` too, so an attempt that crashed after moving the
 * file still finds it.
 */
export async function findAck(inboxDir: string, reportId: string, { now, settleMs }: FindAckOptions): Promise<FoundAck | undefined> {
  const names = ackFileNames(reportId);
  for (const location of ['inbox', 'processed'] as const) {
    const dir = location === 'inbox' ? inboxDir : join(inboxDir, PROCESSED_DIR);
    for (const status of ['rejected', 'accepted'] as const) {
      const path = join(dir, status === 'accepted' ? names.ack : names.nak);
      if (location === 'inbox' && settleMs > 0 && (await modifiedWithin(path, settleMs))) continue;
      const text = await readHead(path);
      if (text === undefined) continue;
      const note = cleanReason(text);
      const ack: Ack = { reportId, status, receivedAt: now().toISOString() };
      if (status === 'rejected') ack.reason = note || 'rejected without a reason';
      else if (note) ack.reason = note;
      return { ack, location, path };
    }
  }
  return undefined;
}

/** Moves a picked-up acknowledgement to `processed/`, so the inbox only holds what is still unread. */
export async function markProcessed(inboxDir: string, found: FoundAck): Promise<void> {
  if (found.location === 'processed') return;
  const processed = join(inboxDir, PROCESSED_DIR);
  await mkdir(processed, { recursive: true });
  await rename(found.path, join(processed, basename(found.path)));
}

async function modifiedWithin(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs < ms;
  } catch {
    return false;
  }
}

/** The first few KiB of a file as text; undefined when it does not exist. */
async function readHead(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(MAX_REASON_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_REASON_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Ack files come from outside: keep printable text only, on one line, bounded. */
function cleanReason(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\ufffd]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 1_000);
}
