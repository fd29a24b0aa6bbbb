import { z } from 'zod';
import { CONTRACT_MONTH, comparePositions, positionKey, type ContractPosition } from './contractPosition.ts';
import { formatIssues } from '../../../shared/zodIssues.ts';

export const reportingFillSchema = z.strictObject({
  execId: z.string().min(1),
  account: z.string().min(1),
  symbol: z.string().min(1),
  contractMonth: z.string().regex(CONTRACT_MONTH, 'must be YYYYMM'),
  side: z.enum(['BUY', 'SELL']),
  quantity: z.number().int().positive(),
});

export const contractPositionSchema = z.strictObject({
  account: z.string().min(1),
  symbol: z.string().min(1),
  contractMonth: z.string().regex(CONTRACT_MONTH, 'must be YYYYMM'),
  net: z.number().int(),
});

export type ReportingFill = z.output<typeof reportingFillSchema>;

export class InvalidPositionInputError extends Error {
  override readonly name = 'InvalidPositionInputError';
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidPositionInputError(`${what}: ${formatIssues(parsed.error.issues, { style: 'dotted' })[0]}`);
}

/**
 * Net positions per account and future, kept for regulatory reporting. The broker's positions are
 * the seed (they already include the executions listed with them); fills after that are applied
 * once each by execId, so a replayed or re-delivered fill never moves a position twice.
 */
export class ReportingPositionBook {
  private readonly nets = new Map<string, ContractPosition>();
  private readonly appliedExecIds = new Set<string>();

  /** Replaces the book with the broker's positions; `includedExecIds` are fills already in them. */
  seed(positions: readonly unknown[], includedExecIds: readonly string[] = []): void {
    const parsed = positions.map((position, index) => parseOrThrow(contractPositionSchema, position, `broker position ${index}`));
    this.nets.clear();
    for (const position of parsed) {
      const key = positionKey(position);
      const existing = this.nets.get(key);
      this.nets.set(key, { ...position, net: (existing?.net ?? 0) + position.net });
    }
    for (const execId of includedExecIds) this.appliedExecIds.add(execId);
  }

  /** Applies a fill; false (and nothing changes) when its execId was applied before. */
  applyFill(fill: unknown): boolean {
    const parsed = parseOrThrow(reportingFillSchema, fill, 'fill');
    if (this.appliedExecIds.has(parsed.execId)) return false;
    this.appliedExecIds.add(parsed.execId);
    const key = positionKey(parsed);
    const current = this.nets.get(key)?.net ?? 0;
    const signed = parsed.side === 'BUY' ? parsed.quantity : -parsed.quantity;
    this.nets.set(key, { account: parsed.account, symbol: parsed.symbol, contractMonth: parsed.contractMonth, net: current + signed });
    return true;
  }

  /** Open (non-zero) positions, in a stable order. */
  positions(): ContractPosition[] {
    return [...this.nets.values()].filter((position) => position.net !== 0).sort(comparePositions);
  }

  netOf(account: string, symbol: string, contractMonth: string): number {
    return this.nets.get(positionKey({ account, symbol, contractMonth }))?.net ?? 0;
  }
}
