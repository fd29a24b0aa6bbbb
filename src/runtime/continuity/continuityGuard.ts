import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { readLastPointUpTo } from '../../audit/chainTip.ts';
import type { StateAnchor } from '../../audit/runtimeRecordKinds.ts';
import type { Logger } from '../../log/logger.ts';
import { advanceAnchors, assessAnchors, NOTHING_REMEMBERED, type RememberedAnchors, type StoredAnchors } from './anchors.ts';
import type { ContinuityStateFile } from './stateFile.ts';
import type { StateLoss } from './stateLoss.ts';
import type { StateLossResponse } from './stateLossResponse.ts';
import { readStoredAnchors, type AnchorLocations } from './storedAnchors.ts';

/** About once a second: a FLUSHALL drops no connection, so only looking tells. */
export const DEFAULT_CHECK_INTERVAL_MS = 1_000;
const STOP_WAIT_MS = 1_000;

export interface ContinuityGuardOptions {
  redis: Redis;
  logger: Logger;
  where: AnchorLocations;
  /** The highest order-id mark each allocator wrote itself, by systemId (the store must hold at least that). */
  knownMarks: () => Record<string, number>;
  stateFile: ContinuityStateFile | null;
  response: StateLossResponse;
  intervalMs?: number;
  /**
   * A first start on an empty store: resolves to the orderRefs the broker has that no store knows
   * (then the store is empty because it was lost), or [] (it is new).
   */
  orphansOnFreshStore?: () => Promise<string[]>;
}

/**
 * Checks that Redis is still the store this process wrote to: its epoch, the order-id high-water
 * marks and the audit head, on every reconnect and about once a second; remembered in memory and,
 * across process restarts, in a local state file. On a loss it hands over to StateLossResponse,
 * and puts the anchors back once that has re-seeded the ids and written the discontinuity record.
 */
export class ContinuityGuard {
  private remembered: RememberedAnchors = NOTHING_REMEMBERED;
  /** A loss announced whose anchors are not yet back (retried each check until they are). */
  private pending: StateLoss | null = null;
  private checking: Promise<void> | null = null;
  /** Checks and loss handling run one at a time, in order. */
  private tail: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly onReady = () => void this.check();

  constructor(private readonly options: ContinuityGuardOptions) {}

  /** Loads the state file and runs the first check before returning (intake starts after it). */
  async start(): Promise<void> {
    this.remembered = (await this.options.stateFile?.load()) ?? NOTHING_REMEMBERED;
    await this.check();
    this.options.redis.on('ready', this.onReady);
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.options.redis.off('ready', this.onReady);
    this.options.response.stop();
    // A check stuck on a Redis that is down must not hold up the stop; what it finds later is dropped.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.tail, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** The anchors the store must hold (for /actors details and tests). */
  get anchors(): RememberedAnchors {
    return this.remembered;
  }

  /** While a loss is being repaired or recovered from, an operator's resume would be premature. */
  get repairing(): boolean {
    return this.pending !== null || this.options.response.busy;
  }

  /** One check; overlapping calls share the one under way. Failures (Redis down) are retried by the next. */
  check(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.checking ??= this.exclusive(() => this.checkOnce())
      .catch((error: Error) => {
        this.options.logger.debug('continuity check failed; retrying', { error: error.message });
      })
      .finally(() => {
        this.checking = null;
      });
    return this.checking as Promise<void>;
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async checkOnce(): Promise<void> {
    if (this.stopped) return;
    if (this.pending) {
      await this.repair(this.pending);
      return;
    }
    // What the store must hold is taken before reading it: a mark reserved while the read is under
    // way may be in the store or not, and is no loss either way.
    const expected = this.withKnownMarks(this.remembered);
    const stored = await readStoredAnchors(this.options.redis, this.options.where, this.remembered);
    const assessment = assessAnchors(expected, stored);
    switch (assessment.verdict) {
      case 'fresh':
      case 'adopt': {
        const epoch = stored.epoch ?? (await this.claimEpoch());
        this.remembered = advanceAnchors(this.remembered, stored, epoch);
        if (assessment.verdict === 'fresh') this.lookForOrphans(epoch);
        break;
      }
      case 'intact':
        this.remembered = advanceAnchors(expected, stored, stored.epoch!);
        break;
      case 'lost':
        await this.declareLoss(assessment.lost, assessment.details, stored);
        return;
    }
    await this.options.stateFile?.save(this.remembered);
  }

  private async declareLoss(lost: StateAnchor[], details: string[], stored: StoredAnchors | null, previous = this.remembered): Promise<void> {
    const gap = lost.includes('audit head') ? await this.auditGap(previous) : null;
    // The new epoch first: if Redis fails here nothing was announced, and the next check finds the same loss.
    const epoch = stored?.epoch && stored.epoch !== previous.epoch ? stored.epoch : await this.claimEpoch();
    const loss: StateLoss = { lost, details, previous, epoch, detectedAt: new Date(), gap };
    this.options.response.announce(loss);
    // From here the loss is known: the epoch is the new one, and the old marks and head are what the
    // repair must restore, not what the store must show.
    this.pending = loss;
    this.remembered = { ...previous, epoch };
    await this.repair(loss);
  }

  private async repair(loss: StateLoss): Promise<void> {
    const marks = await this.options.response.reseed(loss);
    const head = await this.options.response.recordDiscontinuity(loss);
    this.remembered = { epoch: loss.epoch, orderIdMarks: marks, auditHead: head };
    this.pending = null;
    await this.options.stateFile?.save(this.remembered);
    this.options.response.recover();
  }

  /** Seqs of the trail as it was that are gone: after the last record still there from before the loss, up to the old head. */
  private async auditGap(previous: RememberedAnchors): Promise<StateLoss['gap']> {
    const head = previous.auditHead;
    if (!head) return null;
    const survivor = await readLastPointUpTo(this.options.redis, this.options.where.audit, head.streamId);
    const fromSeq = (survivor && survivor.seq < head.seq ? survivor.seq : 0) + 1;
    return { fromSeq, toSeq: head.seq };
  }

  /** Writes an epoch if the store has none (another process may have just written one: that one wins). */
  private async claimEpoch(): Promise<string> {
    const key = this.options.where.epochKey;
    await this.options.redis.set(key, randomUUID(), 'NX');
    const epoch = await this.options.redis.get(key);
    if (epoch === null) throw new Error('the epoch vanished as it was written');
    return epoch;
  }

  private withKnownMarks(remembered: RememberedAnchors): RememberedAnchors {
    if (remembered.epoch === null) return remembered;
    const orderIdMarks = { ...remembered.orderIdMarks };
    for (const [systemId, mark] of Object.entries(this.options.knownMarks())) orderIdMarks[systemId] = Math.max(orderIdMarks[systemId] ?? 0, mark);
    return { ...remembered, orderIdMarks };
  }

  /** On a first start: a broker that knows orders the empty store never saw means the store lost them. */
  private lookForOrphans(epoch: string): void {
    const ask = this.options.orphansOnFreshStore;
    if (!ask) return;
    ask().then(
      (orphans) => {
        if (orphans.length === 0 || this.stopped || this.remembered.epoch !== epoch) return;
        const shown = orphans.slice(0, 5).join(', ') + (orphans.length > 5 ? `, ... (${orphans.length} in all)` : '');
        const detail = `the store was empty, but the broker has orders this store never saw (orderRefs ${shown})`;
        // The epoch just written is not one the orders were written under: the one they were is unknown.
        this.exclusive(() => this.declareLoss(['epoch'], [detail], null, { ...this.remembered, epoch: null })).catch((error: Error) =>
          this.options.logger.warn('continuity: could not act on orders the store never saw', { error: error.message }),
        );
      },
      (error: Error) => this.options.logger.warn('continuity: could not ask the broker for orders the store never saw', { error: error.message }),
    );
  }
}
