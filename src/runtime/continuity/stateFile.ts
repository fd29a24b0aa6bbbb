import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../config/index.ts';
import { namespaceKeys } from '../../redis/namespaceKeys.ts';
import { redactUrlPassword } from '../../config/describeConfigForLog.ts';
import type { Logger } from '../../log/logger.ts';
import type { RememberedAnchors } from './anchors.ts';
import { formatIssues } from '../../shared/zodIssues.ts';

const chainPoint = z.strictObject({ streamId: z.string().min(1), seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) });

const stateSchema = z.strictObject({
  version: z.literal(1),
  epoch: z.string().min(1).max(64),
  orderIdMarks: z.record(z.string(), z.number().int().min(0)),
  auditHead: chainPoint.nullable(),
  savedAt: z.string(),
});

/**
 * The state file a configuration uses, or null. Absent from the config: one under the OS temp dir
 * with broker mode `ib`, named after the Redis, the audit trail (its full key, so the namespace too)
 * and the IB login it guards (so two runtimes on one machine do not share one); none with `sim`, whose embedded broker forgets
 * everything at a restart too, so there is nothing a restarted process could reuse by mistake.
 */
export function stateFilePathFor(config: Config): string | null {
  const configured = config.redis.stateFile;
  if (configured === false) return null;
  if (configured !== undefined) return configured;
  if (config.broker.mode !== 'ib') return null;
  const { host, port, clientId } = config.broker.ib;
  const auditStream = namespaceKeys(config.namespace).auditStream(config.audit.streamKey);
  const identity = [redactUrlPassword(config.redis.url), auditStream, `${host}:${port}`, clientId].join('|');
  return join(tmpdir(), 'tradewire', `continuity-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}.json`);
}

/**
 * The anchors as last known, kept on local disk so a process restarted after a kill -9 still knows
 * what the store held, and so notices if Redis was wiped meanwhile. Written whole to a temp file
 * and renamed, so a reader never sees half of one.
 */
export class ContinuityStateFile {
  /** The anchors last saved (or loaded), as compared: unchanged anchors are not written again. */
  private lastSaved = '';
  private warnedWrite = false;

  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** The anchors saved, or null when there is no file. An unreadable file is reported and ignored. */
  async load(): Promise<RememberedAnchors | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      this.logger.warn('continuity state file unreadable; starting without it', { path: this.path, error: (error as Error).message });
      return null;
    }
    let parsed: z.ZodSafeParseResult<z.output<typeof stateSchema>>;
    try {
      parsed = stateSchema.safeParse(JSON.parse(text));
    } catch (error) {
      this.logger.warn('continuity state file is not JSON; starting without it', { path: this.path, error: (error as Error).message });
      return null;
    }
    if (!parsed.success) {
      const problems = formatIssues(parsed.error.issues, { style: 'dotted' });
      this.logger.warn('continuity state file is not a state file; starting without it', { path: this.path, problems });
      return null;
    }
    const { epoch, orderIdMarks, auditHead } = parsed.data;
    this.lastSaved = comparable({ epoch, orderIdMarks, auditHead });
    return { epoch, orderIdMarks, auditHead };
  }

  /** Writes the anchors if they changed; a failed write is reported once and retried next time. */
  async save(anchors: RememberedAnchors): Promise<void> {
    if (anchors.epoch === null) return;
    const now = comparable(anchors);
    if (now === this.lastSaved) return;
    const text = JSON.stringify({ version: 1, epoch: anchors.epoch, orderIdMarks: anchors.orderIdMarks, auditHead: anchors.auditHead, savedAt: new Date().toISOString() });
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temp, text);
      await rename(temp, this.path);
      this.lastSaved = now;
      this.warnedWrite = false;
    } catch (error) {
      if (!this.warnedWrite) this.logger.warn('continuity state file not written; a restart would not know the anchors', { path: this.path, error: (error as Error).message });
      this.warnedWrite = true;
    }
  }
}

function comparable(anchors: RememberedAnchors): string {
  return JSON.stringify([anchors.epoch, anchors.orderIdMarks, anchors.auditHead]);
}
