import { parseLogLine } from './_logLine.ts';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { RuntimeRecords } from './_runtimeRecords.ts';
import { clientOrderIdOf } from '../src/orders/orderActorIds.ts';

/**
 * What the runtime's log lines tell a chaos run: orders that finished (into the records), each
 * "redis state lost" detection, order actors their supervisor restarted, and how many error lines
 * of each kind. Optionally every line is kept in a file.
 */
export class RuntimeLogWatcher {
  /**
   * Losses detected, each counted once: a runtime killed before it re-anchored Redis reports the
   * same loss again when it restarts (the same previous and new epoch), which is one wipe, not two.
   */
  private readonly losses = new Set<string>();
  readonly restartedOrders = new Set<string>();
  readonly errorKinds = new Map<string, number>();
  private readonly file: WriteStream | null;

  constructor(
    private readonly records: RuntimeRecords,
    filePath?: string,
  ) {
    this.file = filePath ? createWriteStream(filePath, { flags: 'a' }) : null;
  }

  readonly onLine = (line: string): void => {
    this.file?.write(`${line}\n`);
    const entry = parseLogLine(line);
    if (!entry) return;
    const message = String(entry.message ?? '');
    if (message === 'order finished' && typeof entry.orderId === 'string') this.records.noteFinished(entry.orderId, String(entry.state), Number(entry.filled ?? 0));
    else if (message === 'redis state lost') this.losses.add(`${String(entry.previousEpoch)}>${String(entry.epoch)}`);
    else if (message === 'child restarted' && typeof entry.systemId === 'string') {
      const restarted = clientOrderIdOf(entry.systemId);
      if (restarted !== null) this.restartedOrders.add(restarted);
    }
    if (entry.level === 'error') {
      // One count per kind of line: numbers (ids, amounts) would make every line its own kind.
      const kind = message.replace(/\d+(\.\d+)?/g, '#').slice(0, 80);
      this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
    }
  };

  get detections(): number {
    return this.losses.size;
  }

  close(): void {
    this.file?.end();
  }
}
