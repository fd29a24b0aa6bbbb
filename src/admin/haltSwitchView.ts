/** An operator's action on the runtime: who, why, and the admin request that carried it (when is the audit record's own time). */
export interface OperatorAction {
  who: string;
  reason: string;
  requestId: string;
}

export type ResumeOutcome =
  | { resumed: true; cleared: string[]; auditSeq: number }
  /** `not_halted`: nothing to resume; `recovery_in_progress`: the runtime is still recovering from what halted it. */
  | { resumed: false; code: 'not_halted' | 'recovery_in_progress'; message: string };

export type HaltOutcome = { halted: true; causes: string[]; auditSeq: number; cancelRequested: number };

/** Order intake's halt switch as the admin API sees it. */
export interface HaltSwitchView {
  /** Why intake is halted, by cause; empty while it runs. */
  causes(): Record<string, string>;
  /**
   * The kill switch: new orders that add risk are refused (they end rejected with the reason) until
   * a resume; cancels and risk-reducing orders still go. With `cancelAll`, every working order is
   * asked to cancel. Recorded in the audit trail first, and kept in Redis so it survives restarts.
   */
  halt(action: OperatorAction, options: { cancelAll: boolean }): Promise<HaltOutcome>;
  /** Clears every cause, once the action is recorded in the audit trail (a failed record leaves intake halted and rejects). */
  resume(action: OperatorAction): Promise<ResumeOutcome>;
}
