import type { Redis } from 'ioredis';
import type { OrderContext, OrderSpec } from '../machines/orders/orderTypes.ts';
import { TERMINAL_ORDER_STATES } from '../machines/orders/orderMachine.ts';
import { luaScript, type LuaScript } from '../redis/luaScript.ts';
import { Fence, FencedError, isFencedReply } from '../lease/fence.ts';

export interface StoredOrder {
  spec: OrderSpec;
  state: string;
  context: Partial<OrderContext> | null;
  receivedAt: number;
  updatedAt: number;
  /** The broker order id, once the order was sent (stored with the transition that follows the send). */
  ibOrderId: number | null;
  /** Send attempts recorded before each placeOrder left (0: the order was never sent). */
  sendAttempt: number;
  /** The filled quantity whose fills are on the `fills` queue. */
  publishedQuantity: number;
}

/** An order's place in the receipt index (`<prefix>:all`): newest first, ties by clientOrderId, descending. */
export interface ReceiptPosition {
  receivedAt: number;
  clientOrderId: string;
}

/** What the store said to a send attempt: go with this attempt number, or why not. */
export type SendAttemptVerdict = { ok: true; attempt: number } | { ok: false; reason: 'live'; attempt: number } | { ok: false; reason: 'missing' };

const TERMINAL = new Set<string>(TERMINAL_ORDER_STATES);

/** An order script with refuseIfFenced-fence.lua's check in front: every durable order write is fenced. */
const fencedScript = (file: string) => luaScript(file, { prelude: 'refuseIfFenced-fence.lua' });
const CREATE_ORDER = fencedScript('createOrder-order-open-all-fence.lua');
const RECORD_SEND_ATTEMPT = fencedScript('recordSendAttempt-order-fence.lua');
const SAVE_TRANSITION = fencedScript('saveTransition-order-open-outbox-fence.lua');
const MARK_PUBLISHED = fencedScript('markPublished-order-outbox-fence.lua');
const REWRITE = fencedScript('rewrite-order-open-all-fence.lua');

/**
 * Every order's state in Redis, written on every transition, so a process killed at any instant
 * can bring each open order back. The hash's creation is the idempotency check.
 */
export class OrderStore {
  /** The context object each open order last wrote (by identity). */
  private readonly savedContexts = new Map<string, OrderContext>();

  /**
   * `preSend` carries the writes an order waits on before it can be sent (creation, send attempt): on a
   * connection of its own it does not queue behind the bulk of transition and audit writes.
   * Without it, everything uses `transitions`.
   */
  constructor(
    /** Transition, outbox and read commands: auto-pipelined in the service. */
    private readonly transitions: Redis,
    /** The namespace's order store prefix (namespaceKeys().ordersPrefix). */
    private readonly prefix: string,
    private readonly preSend: Redis = transitions,
    /** Every write carries this node's lease token; Redis refuses it once a newer one exists. */
    private readonly fence: Fence = Fence.none(),
  ) {}

  /** Runs a fenced script; a refusal becomes a FencedError, and the fence hears of it (the lease is lost). */
  private async fenced(redis: Redis, script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await script.run(redis, [...keys, this.fenceKey], args);
    } catch (error) {
      if (!isFencedReply(error)) throw error;
      const message = (error as Error).message;
      this.fence.reportFenced(message);
      throw new FencedError(`order write refused: ${message}`);
    }
  }

  private get fenceKey(): string {
    // Without a lease the scripts skip the check (empty token); the key is still a valid argument.
    return this.fence.key ?? `${this.prefix}:unfenced`;
  }

  /**
   * Commands issued on the pre-send connection within one run of the event loop's microtasks leave
   * in one socket write: many jobs picked up together create their orders together. Unlike
   * ioredis's auto-pipelining (which waits for setImmediate, behind the rest of the I/O phase),
   * this adds no wait.
   */
  private coalescePreSend(): void {
    const stream = (this.preSend as unknown as { stream?: { cork(): void; uncork(): void; writableCorked?: number } }).stream;
    if (!stream || this.preSendCorked) return;
    this.preSendCorked = true;
    stream.cork();
    queueMicrotask(() => {
      this.preSendCorked = false;
      stream.uncork();
    });
  }

  private preSendCorked = false;

  private key(clientOrderId: string): string {
    return `${this.prefix}:order:${clientOrderId}`;
  }

  private get openKey(): string {
    return `${this.prefix}:open`;
  }

  private get outboxKey(): string {
    return `${this.prefix}:fills:outbox`;
  }

  private get allKey(): string {
    return `${this.prefix}:all`;
  }

  /**
   * Records a new order; false when the clientOrderId was seen before (nothing changes). One
   * script, so a crash can never leave an order recorded but missing from the open set.
   */
  async create(spec: OrderSpec, receivedAt: number): Promise<boolean> {
    this.coalescePreSend();
    const created = await this.fenced(
      this.preSend,
      CREATE_ORDER,
      [this.key(spec.clientOrderId), this.openKey, this.allKey],
      [JSON.stringify(spec), String(receivedAt), spec.clientOrderId, this.fence.scriptArg],
    );
    return Number(created) === 1;
  }

  /**
   * Before any placeOrder: the attempt is recorded atomically, and refused while an earlier attempt
   * may still be live at the broker (`absentAttempt` is the attempt a lookup found absent there).
   * Whatever path leads to a send, at most one broker order per clientOrderId is live.
   */
  async recordSendAttempt(clientOrderId: string, ibOrderId: number, absentAttempt: number): Promise<SendAttemptVerdict> {
    this.coalescePreSend();
    const answer = Number(
      await this.fenced(this.preSend, RECORD_SEND_ATTEMPT, [this.key(clientOrderId)], [String(ibOrderId), String(absentAttempt), String(Date.now()), this.fence.scriptArg]),
    );
    if (answer > 0) return { ok: true, attempt: answer };
    if (answer < 0) return { ok: false, reason: 'live', attempt: -answer };
    return { ok: false, reason: 'missing' };
  }

  /**
   * Writes an order's whole record again from what a live process holds (after Redis lost its
   * data). The send attempts are written as known, so the at-most-one-live rule still holds.
   */
  async rewrite(spec: OrderSpec, state: string, context: OrderContext, receivedAt: number): Promise<void> {
    const { order: _order, timing: _timing, ...rest } = context;
    const fields: Record<string, string> = {
      spec: JSON.stringify(spec),
      state,
      context: JSON.stringify(rest),
      receivedAt: String(receivedAt),
      updatedAt: String(Date.now()),
      sendAttempt: String(context.sendAttempt),
      filledQuantity: String(context.filledQuantity),
      // What this process holds was published (or is on its way, and is marked when it lands): the
      // fills queue went with the rest, so nothing is published a second time.
      publishedQuantity: String(context.filledQuantity),
      ...(context.ibOrderId !== null ? { ibOrderId: String(context.ibOrderId), sendIbOrderId: String(context.ibOrderId) } : {}),
    };
    await this.fenced(
      this.preSend,
      REWRITE,
      [this.key(spec.clientOrderId), this.openKey, this.allKey],
      [spec.clientOrderId, TERMINAL.has(state) ? '1' : '0', String(receivedAt), this.fence.scriptArg, ...Object.entries(fields).flat()],
    );
    this.savedContexts.set(spec.clientOrderId, context);
  }

  /**
   * One script (one step for Redis, in order with every other write on this auto-pipelined
   * connection: a MULTI would overtake earlier saves): the state, a final state's leaving the open
   * set, and an order with new fills entering the fills outbox. TWAP slices publish nothing to the
   * queue (their parent does), so they never enter it.
   */
  async save(clientOrderId: string, state: string, context: OrderContext): Promise<void> {
    const fields: string[] = ['state', state, 'updatedAt', String(Date.now())];
    const previous = this.savedContexts.get(clientOrderId);
    // XState keeps the context object when no assign ran: then only the state moved, and the
    // stored context (the costly part to serialise) is already right.
    if (previous !== context) {
      const { order: _order, timing: _timing, ...rest } = context;
      fields.push('context', JSON.stringify(rest), 'filledQuantity', String(context.filledQuantity));
      if (context.ibOrderId !== null) fields.push('ibOrderId', String(context.ibOrderId));
    }
    const fillsAdded = context.order.parentId === undefined && context.filledQuantity > (previous?.filledQuantity ?? 0);
    const terminal = TERMINAL.has(state);
    if (terminal) this.savedContexts.delete(clientOrderId);
    else this.savedContexts.set(clientOrderId, context);
    await this.fenced(this.transitions, SAVE_TRANSITION, [this.key(clientOrderId), this.openKey, this.outboxKey], [clientOrderId, terminal ? '1' : '0', fillsAdded ? '1' : '0', this.fence.scriptArg, ...fields]);
  }

  /** The fills queue holds the order's fills up to `filledQuantity`. */
  async markPublished(clientOrderId: string, filledQuantity: number): Promise<void> {
    await this.fenced(this.transitions, MARK_PUBLISHED, [this.key(clientOrderId), this.outboxKey], [clientOrderId, String(filledQuantity), this.fence.scriptArg]);
  }

  /** Orders with fills stored but maybe not yet on the `fills` queue. */
  async outboxOrderIds(): Promise<string[]> {
    return this.transitions.smembers(this.outboxKey);
  }

  /** The context an open order last wrote, from memory (what a lost Redis record is rebuilt from). */
  lastSaved(clientOrderId: string): OrderContext | undefined {
    return this.savedContexts.get(clientOrderId);
  }

  async load(clientOrderId: string): Promise<StoredOrder | null> {
    const raw = await this.transitions.hgetall(this.key(clientOrderId));
    if (!raw.spec) return null;
    return {
      spec: JSON.parse(raw.spec) as OrderSpec,
      state: raw.state ?? 'received',
      context: raw.context ? (JSON.parse(raw.context) as Partial<OrderContext>) : null,
      receivedAt: Number(raw.receivedAt ?? 0),
      updatedAt: Number(raw.updatedAt ?? 0),
      ibOrderId: raw.ibOrderId ? Number(raw.ibOrderId) : raw.sendIbOrderId ? Number(raw.sendIbOrderId) : null,
      sendAttempt: Number(raw.sendAttempt ?? 0),
      publishedQuantity: Number(raw.publishedQuantity ?? 0),
    };
  }

  async openOrderIds(): Promise<string[]> {
    return this.transitions.smembers(this.openKey);
  }

  /** Most recent first. */
  async recentOrderIds(limit = 100): Promise<string[]> {
    return this.transitions.zrevrange(this.allKey, 0, limit - 1);
  }

  /**
   * Up to `count` orders of the receipt index after `after` (none: from the newest), received at or
   * after `fromMs`, in the index's order: receivedAt descending, then clientOrderId descending (how
   * Redis orders equal scores, reversed). The ids at `after`'s own millisecond that sort below it
   * come first, then the older ones: a page boundary inside one millisecond loses nothing.
   */
  async receivedBefore(after: ReceiptPosition | null, fromMs: number | null, count: number): Promise<ReceiptPosition[]> {
    const min = fromMs === null ? '-inf' : String(fromMs);
    const page: ReceiptPosition[] = [];
    if (after !== null) {
      if (fromMs !== null && after.receivedAt < fromMs) return page;
      const sameMs = await this.transitions.zrangebyscore(this.allKey, after.receivedAt, after.receivedAt);
      for (const clientOrderId of sameMs.filter((id) => id < after.clientOrderId).reverse().slice(0, count)) page.push({ receivedAt: after.receivedAt, clientOrderId });
    }
    if (page.length >= count) return page;
    const max = after === null ? '+inf' : `(${after.receivedAt}`;
    const older = await this.transitions.zrevrangebyscore(this.allKey, max, min, 'WITHSCORES', 'LIMIT', 0, count - page.length);
    for (let i = 0; i + 1 < older.length; i += 2) page.push({ clientOrderId: older[i]!, receivedAt: Number(older[i + 1]) });
    return page;
  }

  /** Every open order's place in the receipt index, in the index's order (the open set is small: working orders only). */
  async openByReceipt(): Promise<ReceiptPosition[]> {
    const ids = await this.openOrderIds();
    if (ids.length === 0) return [];
    const scores = await this.transitions.zmscore(this.allKey, ...ids);
    return ids
      .flatMap((clientOrderId, i) => (scores[i] === null || scores[i] === undefined ? [] : [{ clientOrderId, receivedAt: Number(scores[i]) }]))
      .sort(compareReceipt);
  }

  isTerminal(state: string): boolean {
    return TERMINAL.has(state);
  }
}

/** The receipt index's order, newest first: receivedAt descending, then clientOrderId descending (ids are ASCII, so this is Redis's byte order). */
export function compareReceipt(a: ReceiptPosition, b: ReceiptPosition): number {
  if (a.receivedAt !== b.receivedAt) return b.receivedAt - a.receivedAt;
  return a.clientOrderId < b.clientOrderId ? 1 : a.clientOrderId > b.clientOrderId ? -1 : 0;
}
