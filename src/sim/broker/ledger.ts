import type { Execution } from './types.ts';

export interface ExecutionQuery {
  clientId?: number;
  account?: string;
  symbol?: string;
  side?: 'BOT' | 'SLD';
  /** Executions at or after this epoch-ms time. */
  since?: number;
}

/** The broker's record of every execution: the truth reconciliation tests compare against. */
export class ExecutionsLedger {
  private readonly executions: Execution[] = [];

  /** Stores the execution itself (frozen): it is immutable once made, so no copy is needed. */
  record(execution: Execution): void {
    this.executions.push(Object.freeze(execution));
  }

  all(): readonly Execution[] {
    return this.executions.slice();
  }

  get size(): number {
    return this.executions.length;
  }

  byOrderRef(orderRef: string): Execution[] {
    return this.executions.filter((e) => e.orderRef === orderRef);
  }

  byOrder(clientId: number, orderId: number): Execution[] {
    return this.executions.filter((e) => e.clientId === clientId && e.orderId === orderId);
  }

  byExecId(execId: string): Execution | undefined {
    return this.executions.find((e) => e.execId === execId);
  }

  query(q: ExecutionQuery): Execution[] {
    return this.executions.filter(
      (e) =>
        (q.clientId === undefined || e.clientId === q.clientId) &&
        (q.account === undefined || e.account === q.account) &&
        (q.symbol === undefined || e.symbol === q.symbol) &&
        (q.side === undefined || e.side === q.side) &&
        (q.since === undefined || e.time >= q.since),
    );
  }
}
