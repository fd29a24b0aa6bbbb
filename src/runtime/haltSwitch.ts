import type { Redis } from 'ioredis';
import { luaScript } from '../redis/luaScript.ts';
import type { OrderAuditTrail } from '../audit/index.ts';
import type { Logger } from '../log/logger.ts';
import type { IntakeHalt } from '../orders/intakeHalt.ts';
import type { HaltOutcome, HaltSwitchView, OperatorAction, ResumeOutcome } from '../admin/haltSwitchView.ts';

const CLEAR_CANCEL_ALL = luaScript('clearCancelAll-halt.lua');

/** The cause an operator's halt is held under (a resume clears it with every other). */
export const OPERATOR_HALT = 'operator';

export interface HaltSwitchOptions {
  halt: IntakeHalt;
  /** Operator actions are recorded here before they take effect. */
  trail: OrderAuditTrail;
  logger: Logger;
  /** Why a resume must wait (a recovery still running), or null. */
  resumeBlocker?: () => string | null;
  /** Where an operator's halt is kept, so it survives restarts and reaches every node of the namespace. */
  store: { redis: Redis; key: string };
  /** Asks every working order to cancel; resolves with how many were asked. Absent without orders. */
  cancelAll?: () => number;
}

interface StoredHalt {
  who: string;
  reason: string;
  requestId: string;
  at: string;
  /** Asked for with the halt on a node that runs no orders (a standby): the active node does it. */
  cancelAllPending?: boolean;
}

/**
 * The operator's hand on order intake. Every action is an audit record first (who, why, request id;
 * the record's time is when): if it cannot be recorded, it does not happen.
 */
export class HaltSwitch implements HaltSwitchView {
  /** The request id of the stored halt this node applied (a new one is a new halt). */
  private applied: string | null = null;

  constructor(private readonly options: HaltSwitchOptions) {}

  /**
   * The active node's parts (set when it takes the lease, cleared when it stops): cancelling every
   * working order, and what a resume waits for.
   */
  useActiveParts(parts: { cancelAll?: () => number; resumeBlocker?: () => string | null } | null): void {
    if (parts?.cancelAll) this.options.cancelAll = parts.cancelAll;
    else delete this.options.cancelAll;
    if (parts?.resumeBlocker) this.options.resumeBlocker = parts.resumeBlocker;
    else delete this.options.resumeBlocker;
  }

  causes(): Record<string, string> {
    return Object.fromEntries(this.options.halt.causes);
  }

  /** Brings back an operator's halt a previous process left in place. */
  async restore(): Promise<void> {
    const raw = await this.options.store.redis.get(this.options.store.key);
    if (raw === null) return;
    const stored = JSON.parse(raw) as StoredHalt;
    this.applied = stored.requestId;
    this.options.halt.halt(OPERATOR_HALT, describe(stored), stored);
    this.options.logger.warn('order intake halted by an operator (kept from before this start)', { who: stored.who, reason: stored.reason, since: stored.at });
    await this.cancelIfPending(stored);
  }

  /**
   * Follows the stored halt, so a halt or resume made on any node of the namespace takes effect on
   * this one (called every lease renew interval): applies a halt not seen yet, clears an operator
   * halt that was resumed elsewhere, and does a pending cancel-all once this node runs orders.
   */
  async follow(): Promise<void> {
    const raw = await this.options.store.redis.get(this.options.store.key);
    const locallyHalted = this.options.halt.causes.has(OPERATOR_HALT);
    if (raw === null) {
      if (!locallyHalted) return;
      this.applied = null;
      this.options.halt.clear(OPERATOR_HALT, { who: 'operator', reason: 'resumed on another node' });
      this.options.logger.info('order intake resumed by an operator on another node');
      return;
    }
    const stored = JSON.parse(raw) as StoredHalt;
    if (stored.requestId !== this.applied) {
      this.applied = stored.requestId;
      this.options.halt.halt(OPERATOR_HALT, describe(stored), stored);
      this.options.logger.warn('order intake halted by an operator on another node', { who: stored.who, reason: stored.reason, requestId: stored.requestId });
    }
    await this.cancelIfPending(stored);
  }

  /**
   * Carries out a stored cancel-all where orders run: asks first, then marks it done (compare-and-set
   * on the halt's request id), so a node that dies in between leaves it for the next active node
   * (asking twice is harmless: a cancelling order ignores a second cancel).
   */
  private async cancelIfPending(stored: StoredHalt): Promise<number> {
    const cancelAll = this.options.cancelAll;
    if (!stored.cancelAllPending || !cancelAll) return 0;
    const asked = cancelAll();
    await CLEAR_CANCEL_ALL.run(this.options.store.redis, [this.options.store.key], [stored.requestId]);
    this.options.logger.warn('kill switch: every working order asked to cancel', { requestId: stored.requestId, cancelRequested: asked });
    return asked;
  }

  async halt(action: OperatorAction, options: { cancelAll: boolean }): Promise<HaltOutcome> {
    const recorded = await this.options.trail.append({ kind: 'intakeHalted', actor: 'admin', who: action.who, reason: action.reason, requestId: action.requestId, causes: [OPERATOR_HALT], details: { cancelAll: options.cancelAll } });
    // A cancel-all is stored as pending and marked done by whichever node carries it out: this one
    // if it runs orders now, else the active node within a renew interval (or the next one).
    const stored: StoredHalt = { who: action.who, reason: action.reason, requestId: action.requestId, at: new Date().toISOString(), ...(options.cancelAll ? { cancelAllPending: true } : {}) };
    await this.options.store.redis.set(this.options.store.key, JSON.stringify(stored));
    this.applied = stored.requestId;
    this.options.halt.halt(OPERATOR_HALT, describe(stored), stored);
    const cancelRequested = await this.cancelIfPending(stored);
    this.options.logger.warn('order intake halted by an operator', { who: action.who, reason: action.reason, requestId: action.requestId, cancelAll: options.cancelAll, cancelRequested, auditSeq: recorded.seq });
    return { halted: true, causes: [...this.options.halt.causes.keys()], auditSeq: recorded.seq, cancelRequested };
  }

  async resume(action: OperatorAction): Promise<ResumeOutcome> {
    const causes = [...this.options.halt.causes.keys()];
    if (causes.length === 0) return { resumed: false, code: 'not_halted', message: 'order intake is not halted' };
    const blocker = this.options.resumeBlocker?.() ?? null;
    if (blocker) return { resumed: false, code: 'recovery_in_progress', message: blocker };
    const recorded = await this.options.trail.append({ kind: 'intakeResumed', actor: 'admin', who: action.who, reason: action.reason, requestId: action.requestId, causes });
    await this.options.store.redis.del(this.options.store.key);
    this.applied = null;
    for (const cause of causes) this.options.halt.clear(cause, { who: action.who, reason: action.reason });
    this.options.logger.info('order intake resumed', { who: action.who, reason: action.reason, requestId: action.requestId, cleared: causes, auditSeq: recorded.seq });
    return { resumed: true, cleared: causes, auditSeq: recorded.seq };
  }
}

function describe(stored: StoredHalt): string {
  return `halted by ${stored.who} at ${stored.at}: ${stored.reason}`;
}
