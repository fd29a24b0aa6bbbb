import type { Redis } from 'ioredis';

/** One execution as the fills stream holds it, with its commission when IB has reported it. */
export interface StreamFill {
  /** The stream entry id: the cursor of `GET /fills`. */
  id: string;
  execId: string;
  clientOrderId: string;
  parentClientOrderId?: string;
  account: string;
  symbol: string;
  contractMonth: string;
  side: string;
  price: number;
  quantity: number;
  time: string;
  commission: number | null;
}

export interface FillPage {
  fills: StreamFill[];
  /** The last id returned, or `since` when none was (`0-0`, the start, without one): pass it as the next `since`. */
  nextCursor: string;
}

/** What the stream knows of one execution: when it was recorded and what it cost. */
export interface StreamExecutionFacts {
  time: string | null;
  commission: number | null;
}

export interface FillStreamReadsOptions {
  /** The stream (namespaceKeys().fillStream). */
  key: string;
  /** An execution's marker hash (namespaceKeys().fillStreamMarker): which entries hold its fill and its commission. */
  markerKey: (execId: string) => string;
}

type RawEntry = [id: string, fields: string[]];

const START = '0-0';

function fieldsOf([, flat]: RawEntry): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  return fields;
}

const numberOrNull = (text: string | undefined): number | null => (text === undefined || text === '' || !Number.isFinite(Number(text)) ? null : Number(text));

/**
 * Reads of the fills stream (`<ns>:stream:fills`): pages of executions for `GET /fills`, and what it
 * knows of given executions for an order's detail. A commission that came after its execution is
 * an entry of its own; the execution's marker says which one, so each fill is answered with it.
 */
export class FillStreamReads {
  constructor(
    private readonly redis: Redis,
    private readonly options: FillStreamReadsOptions,
  ) {}

  /**
   * Up to `limit` executions after `since` (exclusive; none: from the oldest entry the stream
   * still holds), oldest first. Commission entries are read past, never returned: their amounts
   * ride on their executions.
   */
  async page(since: string | null, limit: number): Promise<FillPage> {
    const fills: StreamFill[] = [];
    let after = since ?? START;
    while (fills.length < limit) {
      const wanted = limit - fills.length;
      const entries = (await this.redis.xrange(this.options.key, `(${after}`, '+', 'COUNT', wanted)) as RawEntry[];
      for (const entry of entries) {
        const fields = fieldsOf(entry);
        if (fields.get('type') === 'fill') fills.push(this.fillOf(entry[0], fields));
      }
      if (entries.length < wanted) break;
      after = entries.at(-1)![0];
    }
    await this.addLateCommissions(fills);
    return { fills, nextCursor: fills.at(-1)?.id ?? since ?? START };
  }

  /** Each execution's time and commission as the stream holds them (absent: never appended, or trimmed since). */
  async facts(execIds: readonly string[]): Promise<Map<string, StreamExecutionFacts>> {
    const facts = new Map<string, StreamExecutionFacts>();
    if (execIds.length === 0) return facts;
    const markers = await Promise.all(execIds.map((execId) => this.redis.hmget(this.options.markerKey(execId), 'fill', 'commission')));
    const ids = [...new Set(markers.flat().filter((id): id is string => id !== null))];
    const entries = new Map(await Promise.all(ids.map(async (id) => [id, await this.entry(id)] as const)));
    execIds.forEach((execId, i) => {
      const [fillId, commissionId] = markers[i]!;
      const fill = fillId ? entries.get(fillId) : undefined;
      const commission = commissionId ? entries.get(commissionId) : undefined;
      if (!fill && !commission) return;
      facts.set(execId, { time: fill?.get('time') ?? null, commission: numberOrNull(commission?.get('commission')) });
    });
    return facts;
  }

  private fillOf(id: string, fields: Map<string, string>): StreamFill {
    const parent = fields.get('parentClientOrderId');
    return {
      id,
      execId: fields.get('execId') ?? '',
      clientOrderId: fields.get('clientOrderId') ?? '',
      ...(parent !== undefined ? { parentClientOrderId: parent } : {}),
      account: fields.get('account') ?? '',
      symbol: fields.get('symbol') ?? '',
      contractMonth: fields.get('contractMonth') ?? '',
      side: fields.get('side') ?? '',
      price: Number(fields.get('price')),
      quantity: Number(fields.get('quantity')),
      time: fields.get('time') ?? '',
      commission: numberOrNull(fields.get('commission')),
    };
  }

  /** Fills whose commission came as an entry of its own (before or after them) get it from there. */
  private async addLateCommissions(fills: StreamFill[]): Promise<void> {
    const missing = fills.filter((fill) => fill.commission === null);
    if (missing.length === 0) return;
    const facts = await this.facts(missing.map((fill) => fill.execId));
    for (const fill of missing) fill.commission = facts.get(fill.execId)?.commission ?? null;
  }

  private async entry(id: string): Promise<Map<string, string> | undefined> {
    const [entry] = (await this.redis.xrange(this.options.key, id, id)) as RawEntry[];
    return entry ? fieldsOf(entry) : undefined;
  }
}
