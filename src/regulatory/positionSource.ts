import { z } from 'zod';
import { contractPositionSchema } from './cftc/positions/reportingPositionBook.ts';
import type { ContractPosition } from './cftc/positions/contractPosition.ts';
import { isIsoDay } from '../shared/calendarDays.ts';

/**
 * Where report content gets its close-of-day positions. The runtime will back this with the
 * positions it keeps in Redis; the CLI and tests use a JSON file or memory.
 */
export interface PositionSource {
  /** Net positions at the close of a trading day (`YYYY-MM-DD`); empty when none are held. */
  closingPositions(reportDate: string): Promise<ContractPosition[]>;
  /** The trading day before `reportDate` with known positions, or null when there is none. */
  previousTradingDay(reportDate: string): Promise<string | null>;
}

export const positionDaysSchema = z.strictObject({
  days: z.record(z.string().refine(isIsoDay, 'must be a date YYYY-MM-DD'), z.array(contractPositionSchema)),
});

export type PositionDays = z.output<typeof positionDaysSchema>;

/** Close-of-day positions held in memory, keyed by day. */
export class StaticPositionSource implements PositionSource {
  private readonly days: ReadonlyMap<string, ContractPosition[]>;

  constructor(days: PositionDays['days']) {
    this.days = new Map(Object.entries(days));
  }

  async closingPositions(reportDate: string): Promise<ContractPosition[]> {
    return [...(this.days.get(reportDate) ?? [])];
  }

  async previousTradingDay(reportDate: string): Promise<string | null> {
    const earlier = [...this.days.keys()].filter((day) => day < reportDate).sort();
    return earlier.at(-1) ?? null;
  }
}
