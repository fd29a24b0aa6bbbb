import type { OrderAuditTrail } from '../audit';
import type { Logger } from '../log/logger';
import type { IntakeHalt } from '../orders/intakeHalt';
import type { HaltSwitchView, OperatorAction, ResumeOutcome } from './haltSwitchView';

export interface HaltSwitchOptions {
  halt: IntakeHalt;
  /** Operator actions are recorded here before they take effect. */
  trail: OrderAuditTrail;
  logger: Logger;
  /** Why a resume must wait (a recovery still running), or null. */
  resumeBlocker?: () => string | null;
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

  async resume(action: OperatorAction): Promise<ResumeOutcome> {
    const causes = [...this.options.halt.causes.keys()];
    if (causes.length === 0) return { resumed: false, code: 'not_halted', message: 'order intake is not halted' };
    const blocker = this.options.resumeBlocker?.() ?? null;
    if (blocker) return { resumed: false, code: 'recovery_in_progress', message: blocker };
    const recorded = await this.options.trail.append({ kind: 'intakeResumed', actor: 'admin', who: action.who, reason: action.reason, requestId: action.requestId, causes });
    for (const cause of causes) this.options.halt.clear(cause);
    this.options.logger.info('order intake resumed', { who: action.who, reason: action.reason, requestId: action.requestId, cleared: causes, auditSeq: recorded.seq });
    return { resumed: true, cleared: causes, auditSeq: recorded.seq };
  }
}
