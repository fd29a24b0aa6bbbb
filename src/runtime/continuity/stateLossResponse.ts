import { OrderAuditTrail } from '../../audit/index.ts';
import type { ChainPoint } from '../../audit/chainTip.ts';
import type { IbSession } from '../../ib/session/ibSession.ts';
import type { Logger } from '../../log/logger.ts';
import type { IntakeHalt } from '../../orders/intakeHalt.ts';
import { askNextValidId } from './brokerOrderIds.ts';
import { haltReasonFor, STATE_LOST_CAUSE, type StateLoss } from './stateLoss.ts';

/** What the order service does after a loss: write its live orders again, then reconcile. */
export type OrdersRecovery = () => Promise<unknown>;

const RECOVERY_RETRY_MS = 1_000;

export interface StateLossResponseOptions {
  logger: Logger;
  halt: IntakeHalt;
  trail: OrderAuditTrail;
  /** IB sessions by connection systemId, whose order ids are re-seeded. */
  sessions: ReadonlyMap<string, IbSession>;
  nextValidIdTimeoutMs?: number;
}

/**
 * What the runtime does when Redis lost its state: halt intake and say so (at once, before any
 * other I/O), then put the anchors back (order ids above everything used, an audit discontinuity
 * record), then let the order service recover. Nothing is repaired silently: intake stays halted
 * until an operator resumes it.
 */
export class StateLossResponse {
  private recovery: OrdersRecovery | null = null;
  private recoveryOwed = false;
  private recovering: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: StateLossResponseOptions) {}

  /** True while the order service is still writing its orders back and reconciling. */
  get busy(): boolean {
    return this.recovering !== null || this.recoveryOwed;
  }

  announce(loss: StateLoss): void {
    this.options.halt.halt(STATE_LOST_CAUSE, haltReasonFor(loss));
    const head = loss.previous.auditHead;
    // One line per loss, at error: operators alert on it, and the chaos run counts it.
    this.options.logger.error('redis state lost', {
      lost: loss.lost,
      details: loss.details,
      previousEpoch: loss.previous.epoch,
      epoch: loss.epoch,
      previousAuditHead: head ? { seq: head.seq, hash: head.hash } : null,
      auditGap: loss.gap,
      orderIdMarks: loss.previous.orderIdMarks,
      intake: 'halted',
    });
  }

  /** Order ids go on above the mark as remembered and the broker's nextValidId; resolves to the marks as stored. */
  async reseed(loss: StateLoss): Promise<Record<string, number>> {
    const marks: Record<string, number> = {};
    for (const [systemId, session] of this.options.sessions) {
      const brokerNext = await askNextValidId(session, this.options.nextValidIdTimeoutMs ?? 2_000);
      marks[systemId] = await session.orderIds.reseed(Math.max(loss.previous.orderIdMarks[systemId] ?? 0, brokerNext));
    }
    this.options.logger.info('order ids re-seeded after the Redis state loss', { orderIdMarks: marks });
    return marks;
  }

  async recordDiscontinuity(loss: StateLoss): Promise<ChainPoint> {
    const head = loss.previous.auditHead;
    const appended = await this.options.trail.append({
      kind: 'discontinuity',
      actor: 'continuity',
      reason: `${loss.details.join('; ')}. Order intake halted until an operator resumes it.`,
      lost: loss.lost,
      ...(head ? { previousHead: { seq: head.seq, hash: head.hash, streamId: head.streamId } } : {}),
      ...(loss.gap ? { missingFromSeq: loss.gap.fromSeq, missingToSeq: loss.gap.toSeq } : {}),
      ...(loss.previous.epoch ? { previousEpoch: loss.previous.epoch } : {}),
      epoch: loss.epoch,
    });
    return { streamId: appended.id, seq: appended.seq, hash: appended.hash };
  }

  /** Asks the order service to recover now, or as soon as it is attached. */
  recover(): void {
    this.recoveryOwed = true;
    this.runRecovery();
  }

  /** The order service, once it runs (it starts after the first check). */
  attach(recovery: OrdersRecovery): void {
    this.recovery = recovery;
    this.runRecovery();
  }

  stop(): void {
    this.stopped = true;
  }

  private runRecovery(): void {
    if (!this.recoveryOwed || !this.recovery || this.recovering || this.stopped) return;
    const recovery = this.recovery;
    this.recoveryOwed = false;
    this.recovering = (async () => {
      for (let attempt = 1; !this.stopped; attempt += 1) {
        try {
          await recovery();
          this.options.logger.info('order service recovered from the Redis state loss', { attempts: attempt });
          return;
        } catch (error) {
          // A broker that does not answer is never read as "nothing there": ask again.
          this.options.logger.warn('recovery after the Redis state loss failed; retrying', { attempt, error: (error as Error).message });
          await new Promise((resolve) => setTimeout(resolve, RECOVERY_RETRY_MS).unref());
        }
      }
    })().finally(() => {
      this.recovering = null;
      // Another loss while this one was recovering owes a recovery of its own.
      this.runRecovery();
    });
  }
}
