import { randomBytes } from 'node:crypto';
import { access, link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { RenderedReport } from '../reportTypes.ts';
import { findAck, markProcessed } from './ackFiles.ts';
import { outboxFileName } from './reportFileNames.ts';
import type { Ack, AwaitAckOptions, ReportTransport, SubmissionReceipt } from './reportTransport.ts';
import { AckTimeoutError, RetryableTransportError } from './transportErrors.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface FileDropOptions {
  outboxDir: string;
  inboxDir: string;
  /** How often the inbox is looked at while waiting for an acknowledgement. */
  pollIntervalMs?: number;
  /** Acknowledgement files younger than this are not read yet (their writer may still be writing). */
  settleMs?: number;
  now?: () => Date;
}

// Filesystems without hard links (some network shares) say so with one of these.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Files reports into an outbox directory a regulator's pickup process reads, and reads their
 * acknowledgements from an inbox. A report appears in the outbox complete or not at all, under a
 * name derived from its id, and is never overwritten.
 */
export class FileDropTransport implements ReportTransport {
  readonly kind = 'file' as const;
  readonly target: string;
  private readonly outboxDir: string;
  private readonly inboxDir: string;
  private readonly pollIntervalMs: number;
  private readonly settleMs: number;
  private readonly now: () => Date;

  constructor(options: FileDropOptions) {
    this.outboxDir = resolve(options.outboxDir);
    this.inboxDir = resolve(options.inboxDir);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.settleMs = options.settleMs ?? 500;
    this.now = options.now ?? (() => new Date());
    this.target = `file:${this.outboxDir}`;
  }

  async submit(report: RenderedReport): Promise<SubmissionReceipt> {
    const name = outboxFileName(report.id, report.fileName);
    const receipt = (alreadyFiled: boolean): SubmissionReceipt => ({
      reportId: report.id,
      transport: 'file',
      reference: name,
      submittedAt: this.now().toISOString(),
      alreadyFiled,
    });
    try {
      // An acknowledgement for it means the regulator has it, even if pickup emptied the outbox.
      if (await findAck(this.inboxDir, report.id, { now: this.now, settleMs: 0 })) return receipt(true);
      await mkdir(this.outboxDir, { recursive: true });
      const placed = await this.placeAtomically(name, report.body);
      return receipt(!placed);
    } catch (error) {
      throw new RetryableTransportError(`could not write report ${report.id} to ${this.outboxDir}: ${errorMessage(error)}`, { cause: error });
    }
  }

  async awaitAck(receipt: SubmissionReceipt, { timeoutMs, signal }: AwaitAckOptions): Promise<Ack> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await findAck(this.inboxDir, receipt.reportId, { now: this.now, settleMs: this.settleMs });
      if (found) {
        await markProcessed(this.inboxDir, found);
        return found.ack;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new AckTimeoutError(receipt.reportId, timeoutMs);
      // An abort rejects with the signal's reason (who stopped the wait), not timers' generic AbortError.
      await delay(Math.min(this.pollIntervalMs, left), undefined, { signal }).catch((error: unknown) => {
        signal?.throwIfAborted();
        throw error;
      });
    }
  }

  /**
   * Writes `<name>.<random>.tmp` in the outbox, fsyncs it, then hard-links it to `name` and removes
   * the temporary name. The link is the atomic step, and unlike rename it refuses to replace an
   * existing file: a second writer learns the report is already there. Returns false in that case.
   */
  private async placeAtomically(name: string, body: string): Promise<boolean> {
    const finalPath = join(this.outboxDir, name);
    const tmpPath = join(this.outboxDir, `${name}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(tmpPath, 'wx');
    try {
      await handle.writeFile(body, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(tmpPath, finalPath);
      await unlink(tmpPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') {
        await unlink(tmpPath).catch(() => undefined);
        return false;
      }
      if (!NO_HARD_LINKS.has(code)) {
        await unlink(tmpPath).catch(() => undefined);
        throw error;
      }
      // No hard links here: check, then rename (atomic, but a concurrent writer could slip in between;
      // the filing ledger's claim is what keeps two writers apart).
      if (await exists(finalPath)) {
        await unlink(tmpPath).catch(() => undefined);
        return false;
      }
      await rename(tmpPath, finalPath);
    }
    await syncDirectory(this.outboxDir);
    return true;
  }
}

/** Makes the new directory entry durable; not every platform allows opening a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
