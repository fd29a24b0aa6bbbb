import type { Logger } from '../../log/logger.ts';
import { AccountAssignments } from './accountAssignments.ts';
import { pickFastest, pickLeastBusy, pickRoundRobin, type Candidate } from './dataStrategies.ts';
import { LatencyEwma } from './latencyEwma.ts';
import { parsePoolConfig, type DataStrategy, type PoolConfig } from './poolConfig.ts';
import { NoHealthyConnectionError, UnknownPoolMemberError } from './poolErrors.ts';
import type { PoolMember } from './poolMember.ts';

export interface ConnectionPoolOptions {
  config?: Partial<PoolConfig>;
  /** Clock for latency measurement in `runOnData`. */
  now?: () => number;
  logger?: Logger;
}

interface MemberState<M> {
  member: M;
  latency: LatencyEwma;
  /** Requests started through `runOnData` and not yet settled. */
  running: number;
}

const PICKERS: Record<DataStrategy, <C extends Candidate>(candidates: readonly C[], lastPosition: number) => C> = {
  round_robin: pickRoundRobin,
  least_busy: pickLeastBusy,
  fastest: pickFastest,
};

/**
 * Several IB connections behind one front. Data requests are spread over healthy connections by
 * the configured strategy; each account's orders are pinned to a single connection.
 *
 * Why orders never follow the data requests to another connection when theirs turns unhealthy:
 * - IB ties an order to the client id that placed it; only that connection can modify or cancel it
 *   and receives its status callbacks, so splitting an account's orders over connections splits
 *   the order book we are responsible for.
 * - An order sent just before a connection dropped may already be live at IB. Re-sending it on
 *   another connection risks a duplicate fill, which is worse than a late order.
 * So an unhealthy connection keeps its accounts: `pickForAccount` still returns it and the
 * connection's own session queues the orders until it is back (IbSession never drops them).
 * An account moves only when its connection is removed from the configuration (`removeMember`),
 * which is an operator's decision made knowing the open orders.
 */
export class ConnectionPool<M extends PoolMember = PoolMember> {
  readonly strategy: DataStrategy;
  private readonly states: MemberState<M>[] = [];
  private readonly accounts = new AccountAssignments();
  private readonly alpha: number;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private lastDataPosition = -1;
  /** Accounts already warned about for the current unhealthy spell of their connection. */
  private readonly heldAccountsWarned = new Set<string>();

  constructor(members: Iterable<M>, options: ConnectionPoolOptions = {}) {
    const config = parsePoolConfig(options.config ?? {});
    this.strategy = config.strategy;
    this.alpha = config.latencyEwmaAlpha;
    this.now = options.now ?? (() => performance.now());
    this.logger = options.logger;
    for (const member of members) this.addMember(member);
  }

  members(): M[] {
    return this.states.map((state) => state.member);
  }

  addMember(member: M): void {
    if (this.states.some((state) => state.member.id === member.id)) {
      throw new Error(`IB connection "${member.id}" is already in the pool`);
    }
    this.states.push({ member, latency: new LatencyEwma(this.alpha), running: 0 });
  }

  /**
   * Takes a connection out of the configuration. Its accounts are released and get a new
   * connection on their next order. Returns the released accounts.
   */
  removeMember(memberId: string): string[] {
    const position = this.positionOf(memberId);
    this.states.splice(position, 1);
    if (this.lastDataPosition >= position) this.lastDataPosition -= 1;
    const released = this.accounts.releaseMember(memberId);
    for (const account of released) this.heldAccountsWarned.delete(account);
    if (released.length > 0) {
      this.logger?.warn('IB connection removed from the pool; its accounts will be reassigned', { memberId, accounts: released });
    }
    return released;
  }

  pickForData(): M {
    const candidates = this.healthyCandidates();
    if (candidates.length === 0) throw new NoHealthyConnectionError('data requests', this.memberIds());
    const chosen = PICKERS[this.strategy](candidates, this.lastDataPosition);
    this.lastDataPosition = chosen.position;
    return chosen.member;
  }

  /**
   * The connection that carries this account's orders. The first call pins the account to the
   * healthy connection with the fewest accounts; later calls return that connection even while it
   * is unhealthy (see the class comment). Throws NoHealthyConnectionError only for an account
   * that has no connection yet and none is healthy.
   */
  pickForAccount(account: string): M {
    const assigned = this.accounts.memberOf(account);
    if (assigned !== undefined) {
      const member = this.stateOf(assigned).member;
      this.noteHeldAccount(account, member);
      return member;
    }
    const candidates = this.healthyCandidates();
    if (candidates.length === 0) throw new NoHealthyConnectionError(`orders of account ${account}`, this.memberIds());
    let chosen = candidates[0]!;
    for (const candidate of candidates) {
      if (this.accounts.accountsOn(candidate.member.id).length < this.accounts.accountsOn(chosen.member.id).length) chosen = candidate;
    }
    this.accounts.assign(account, chosen.member.id);
    this.logger?.info('account pinned to IB connection', { account, memberId: chosen.member.id });
    return chosen.member;
  }

  /** The account's connection without assigning one. */
  accountMember(account: string): M | undefined {
    const assigned = this.accounts.memberOf(account);
    return assigned === undefined ? undefined : this.stateOf(assigned).member;
  }

  accountAssignments(): ReadonlyMap<string, string> {
    return this.accounts.snapshot();
  }

  /** A response took `ms`. Answers from a connection already removed are ignored. */
  recordLatency(memberId: string, ms: number): void {
    this.states.find((state) => state.member.id === memberId)?.latency.record(ms);
  }

  /** EWMA response latency in ms, `null` while untried. */
  latencyOf(memberId: string): number | null {
    return this.stateOf(memberId).latency.value;
  }

  /**
   * How busy `least_busy` considers the member. The member may count the requests made through
   * `runOnData` too, or may count nothing at all, so take the larger figure rather than the sum.
   */
  loadOf(memberId: string): number {
    const state = this.stateOf(memberId);
    return Math.max(state.member.inFlight(), state.running);
  }

  /** Runs one data request on a member picked by the strategy, counting it and timing it. */
  async runOnData<T>(request: (member: M) => Promise<T>): Promise<T> {
    const member = this.pickForData();
    const state = this.stateOf(member.id);
    state.running += 1;
    const started = this.now();
    try {
      const result = await request(member);
      // Only answers are timed: a quick failure says nothing about speed and would make a broken
      // connection look like the fastest one.
      state.latency.record(this.now() - started);
      return result;
    } finally {
      state.running -= 1;
    }
  }

  private healthyCandidates(): Candidate<M>[] {
    const candidates: Candidate<M>[] = [];
    this.states.forEach((state, position) => {
      if (!state.member.isHealthy()) return;
      candidates.push({
        member: state.member,
        position,
        load: Math.max(state.member.inFlight(), state.running),
        latencyMs: state.latency.value,
      });
    });
    return candidates;
  }

  private noteHeldAccount(account: string, member: M): void {
    if (member.isHealthy()) {
      this.heldAccountsWarned.delete(account);
      return;
    }
    if (this.heldAccountsWarned.has(account)) return;
    this.heldAccountsWarned.add(account);
    this.logger?.warn('orders held for the account\'s IB connection until it is healthy again', { account, memberId: member.id });
  }

  private memberIds(): string[] {
    return this.states.map((state) => state.member.id);
  }

  private positionOf(memberId: string): number {
    const position = this.states.findIndex((state) => state.member.id === memberId);
    if (position < 0) throw new UnknownPoolMemberError(memberId);
    return position;
  }

  private stateOf(memberId: string): MemberState<M> {
    return this.states[this.positionOf(memberId)]!;
  }
}
