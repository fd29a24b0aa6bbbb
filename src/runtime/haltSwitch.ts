import type { Redis } from 'ioredis';
import type { OrderAuditTrail } from '../audit';
import type { Logger } from '../log/logger';
import type { IntakeHalt } from '../orders/intakeHalt';
import type { HaltOutcome, HaltSwitchView, OperatorAction, ResumeOutcome } from './haltSwitchView';

/** The cause an operator's halt is held under (a resume clears it with every other). */
export const OPERATOR_HALT = 'operator';

export interface HaltSwitchOptions {
  halt: IntakeHalt;
  /** Operator actions are recorded here before they take effect. */
  trail: OrderAuditTrail;
  logger: Logger;
  /** Why a resume must wait (a recovery still running), or null. */
  resumeBlocker?: () => string | null;
  /** Where an operator's halt is kept, so it survives restarts. */
  store: { redis: Redis; key: string };
  /** Asks every working order to cancel; resolves with how many were asked. Absent without orders. */
  cancelAll?: () => number;
}

interface StoredHalt {
  who: string;
  reason: string;
  requestId: string;
  at: string;
}

/**
 * The operator's hand on order intake. Every action is an audit record first (who, why, request id;
 * the record's time is when): if it cannot be recorded, it does not happen.
 */
export class HaltSwitch implements HaltSwitchView {
  constructor(private readonly options: HaltSwitchOptions) {}

  causes(): Record<string, string> {
    return Object.fromEntries(this.options.halt.causes);
  }

  /** Brings back an operator's halt a previous process left in place. */
  async restore(): Promise<void> {
    const raw = await this.options.store.redis.get(this.options.store.key);
    if (raw === null) return;
    const stored = JSON.parse(raw) as StoredHalt;
    this.options.halt.halt(OPERATOR_HALT, describe(stored));
    this.options.logger.warn('order intake halted by an operator (kept from before this start)', { who: stored.who, reason: stored.reason, since: stored.at });
  }

  async halt(action: OperatorAction, options: { cancelAll: boolean }): Promise<HaltOutcome> {
    const recorded = await this.options.trail.append({ kind: 'intakeHalted', actor: 'admin', who: action.who, reason: action.reason, requestId: action.requestId, causes: [OPERATOR_HALT], details: { cancelAll: options.cancelAll } });
    const stored: StoredHalt = { who: action.who, reason: action.reason, requestId: action.requestId, at: new Date().toISOString() };
    await this.options.store.redis.set(this.options.store.key, JSON.stringify(stored));
    this.options.halt.halt(OPERATOR_HALT, describe(stored));
    const cancelRequested = options.cancelAll ? (this.options.cancelAll?.() ?? 0) : 0;
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
    for (const cause of causes) this.options.halt.clear(cause);
    this.options.logger.info('order intake resumed', { who: action.who, reason: action.reason, requestId: action.requestId, cleared: causes, auditSeq: recorded.seq });
    return { resumed: true, cleared: causes, auditSeq: recorded.seq };
  }
}

function describe(stored: StoredHalt): string {
  return `halted by ${stored.who} at ${stored.at}: ${stored.reason}`;
}
