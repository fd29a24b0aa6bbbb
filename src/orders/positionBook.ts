import type { OrderSpec } from '../machines/orders/orderTypes.ts';

/** How positions find the contract month of an expiry: the process's ContractResolver (src/contracts) in the runtime. */
export interface ContractMonths {
  /** From what is known without asking (a YYYYMM, the calendar, listings seen); undefined otherwise. */
  knownContractMonthOf(symbol: string, expiry: string | undefined): string | undefined;
  /** Asking reference data when needed: a YYYYMMDD is a last trade date, for CL in the month before delivery. */
  contractMonthOf(symbol: string, expiry?: string): Promise<string>;
}

/**
 * Without a resolver: a YYYYMM is the month and no expiry is ''. A YYYYMMDD stays as given, a
 * bucket of its own: slicing it would put a CL position in the month before its delivery month.
 */
function monthWithoutLookup(expiry: string | undefined): string {
  return expiry ?? '';
}

interface Working {
  account: string;
  symbol: string;
  month: string;
  side: 'BUY' | 'SELL';
  /** Contracts that may still fill. */
  remaining: number;
}

/** Where a position limit is measured: all months of a symbol, or one contract month. */
export interface ExposureScope {
  account: string;
  symbol: string;
  /** Absent: every month of the symbol together. */
  month?: string;
}

/** Position and working orders in one scope: the worst case either side could reach. */
export interface Exposure {
  position: number;
  workingBuys: number;
  workingSells: number;
}

/**
 * Net positions per account, instrument and contract month (from fills this process has seen and
 * the broker's positions), and the orders still working: a position limit counts what could still
 * fill, not only what has.
 */
export class PositionBook {
  private readonly net = new Map<string, number>();
  /** Executions already in the figures (a day's worth: IB's executions reset daily too). */
  private readonly counted = new Set<string>();
  private readonly working = new Map<string, Working>();
  /** Working orders by account and symbol: a check reads only its own instrument's orders. */
  private readonly workingByInstrument = new Map<string, Set<string>>();

  constructor(private readonly months?: ContractMonths) {}

  /** The contract month positions of this expiry are kept under (YYYYMM; '' for none). */
  monthOf(symbol: string, expiry: string | undefined): string {
    return this.months?.knownContractMonthOf(symbol, expiry) ?? monthWithoutLookup(expiry);
  }

  /** `monthOf`, asking reference data for a last trade date not known yet (so the synchronous answer is right from then on). */
  async learnMonthOf(symbol: string, expiry: string | undefined): Promise<string> {
    const known = this.monthOf(symbol, expiry);
    if (!this.months || !expiry || /^\d{6}$/.test(expiry)) return known;
    try {
      return await this.months.contractMonthOf(symbol, expiry);
    } catch {
      return known;
    }
  }

  private key(account: string, symbol: string, month: string): string {
    return `${account}\u0000${symbol}\u0000${month}`;
  }

  /** Net position in one month, or across every month of the symbol when `month` is absent. */
  position(account: string, symbol: string, month?: string): number {
    if (month !== undefined) return this.net.get(this.key(account, symbol, month)) ?? 0;
    const prefix = `${account}\u0000${symbol}\u0000`;
    let total = 0;
    for (const [key, quantity] of this.net) if (key.startsWith(prefix)) total += quantity;
    return total;
  }

  /** Every net position the book holds, flat ones included (a position that went back to 0 is still one it knows). */
  *positions(): Generator<{ account: string; symbol: string; month: string; position: number }> {
    for (const [key, position] of this.net) {
      const [account = '', symbol = '', month = ''] = key.split('\u0000');
      yield { account, symbol, month, position };
    }
  }

  /** One execution, once: the broker's positions already include those it was seeded with. */
  applyExecution(account: string, symbol: string, month: string, side: 'BUY' | 'SELL', execId: string, quantity: number): void {
    if (this.counted.has(execId)) return;
    this.counted.add(execId);
    const key = this.key(account, symbol, month);
    this.net.set(key, (this.net.get(key) ?? 0) + (side === 'BUY' ? quantity : -quantity));
  }

  /** The broker's positions win (reconciliation), and the executions they already include are not counted again. */
  seedFromBroker(positions: readonly { account: string; symbol: string; month: string; position: number }[], includedExecIds: Iterable<string>): void {
    for (const p of positions) this.net.set(this.key(p.account, p.symbol, p.month), 0);
    for (const p of positions) {
      const key = this.key(p.account, p.symbol, p.month);
      this.net.set(key, (this.net.get(key) ?? 0) + p.position);
    }
    for (const execId of includedExecIds) this.counted.add(execId);
    this.seeded = true;
  }

  /** Whether the broker's positions have been read (intake waits for it). */
  seeded = false;

  /** An order that passed its checks counts against the limits until it ends. */
  reserve(clientOrderId: string, order: OrderSpec, remaining: number): void {
    this.release(clientOrderId);
    this.working.set(clientOrderId, { account: order.account, symbol: order.symbol, month: this.monthOf(order.symbol, order.expiry), side: order.side, remaining: Math.max(0, remaining) });
    const instrument = this.key(order.account, order.symbol, '');
    let ids = this.workingByInstrument.get(instrument);
    if (!ids) this.workingByInstrument.set(instrument, (ids = new Set()));
    ids.add(clientOrderId);
  }

  /** What may still fill of a working order (after fills or a confirmed modify); unknown ids are ignored. */
  updateWorking(clientOrderId: string, remaining: number): void {
    const entry = this.working.get(clientOrderId);
    if (entry) entry.remaining = Math.max(0, remaining);
  }

  /** Moves quantity in or out of a working order's reservation (a TWAP parent hands each slice its part). */
  adjustWorking(clientOrderId: string, delta: number): void {
    const entry = this.working.get(clientOrderId);
    if (entry) entry.remaining = Math.max(0, entry.remaining + delta);
  }

  isWorking(clientOrderId: string): boolean {
    return this.working.has(clientOrderId);
  }

  release(clientOrderId: string): void {
    const entry = this.working.get(clientOrderId);
    if (!entry) return;
    this.working.delete(clientOrderId);
    const instrument = this.key(entry.account, entry.symbol, '');
    const ids = this.workingByInstrument.get(instrument);
    ids?.delete(clientOrderId);
    if (ids?.size === 0) this.workingByInstrument.delete(instrument);
  }

  /** The scope's position and working quantities, leaving out `excluding` (an order whose terms are being replaced). */
  exposure(scope: ExposureScope, excluding?: string): Exposure {
    let workingBuys = 0;
    let workingSells = 0;
    for (const id of this.workingByInstrument.get(this.key(scope.account, scope.symbol, '')) ?? []) {
      const entry = this.working.get(id)!;
      if (id === excluding) continue;
      if (scope.month !== undefined && entry.month !== scope.month) continue;
      if (entry.side === 'BUY') workingBuys += entry.remaining;
      else workingSells += entry.remaining;
    }
    return { position: this.position(scope.account, scope.symbol, scope.month), workingBuys, workingSells };
  }
}
