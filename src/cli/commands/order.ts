import { Queue } from 'bullmq';
import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import { OrderAuditTrail } from '../../audit';
import { OrderStore } from '../../orders/orderStore';
import { BreakRegistry } from '../../orders/breakRegistry';
import { ORDER_QUEUE_NAME, orderJobPriority, parseOrderJob } from '../../orders/schema';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, processCliDeps, type CliDeps } from '../adminClient';
import { connectRedis, resolveRedisUrl } from '../redisConnection';

class OrderUsageError extends Error {}

interface Common {
  redisUrl?: string;
  json?: boolean;
}

interface SubmitFlags extends Common {
  symbol: string;
  expiry?: string;
  conId?: string;
  side: string;
  qty: string;
  type: string;
  limit?: string;
  stop?: string;
  tif?: string;
  account: string;
  strategy: string;
  id?: string;
  riskReducing?: boolean;
}

/** `tradewire order submit|cancel|list|show`: orders through the `orders` queue and the order store. */
export function registerOrderCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const order = program.command('order').description('submit, cancel and inspect orders');
  const redisOption = (c: Command) => c.option('--redis-url <url>', 'Redis URL (default: $REDIS_URL or redis://127.0.0.1:6379)');

  redisOption(
    order
      .command('submit')
      .description('put a new order on the orders queue')
      .requiredOption('--symbol <symbol>', 'futures symbol, e.g. ES')
      .option('--expiry <yyyymm>', 'contract month (YYYYMM or YYYYMMDD)')
      .option('--con-id <conId>', 'IB contract id instead of symbol and expiry')
      .requiredOption('--side <side>', 'BUY or SELL')
      .requiredOption('--qty <quantity>', 'contracts')
      .option('--type <type>', 'MKT, LMT, STP or STP LMT', 'MKT')
      .option('--limit <price>', 'limit price (LMT, STP LMT)')
      .option('--stop <price>', 'stop price (STP, STP LMT)')
      .option('--tif <tif>', 'DAY, GTC or IOC', 'DAY')
      .option('--account <account>', 'IB account', 'DU1234567')
      .option('--strategy <name>', 'strategy name', 'manual')
      .option('--id <clientOrderId>', 'client order id (default: generated)')
      .option('--risk-reducing', 'the order reduces a position (queued ahead of new risk)'),
  ).action(async (flags: SubmitFlags) => deps.setExitCode(await runOrderSubmit(flags, deps)));

  redisOption(order.command('cancel').description('put a cancel request on the orders queue').argument('<clientOrderId>')).action(
    async (id: string, flags: Common) => deps.setExitCode(await withRedis(flags, deps, (redis) => cancel(redis, id, deps))),
  );
  redisOption(
    order
      .command('modify')
      .description('put a modify request on the orders queue (quantity, limit or stop price)')
      .argument('<clientOrderId>')
      .option('--qty <quantity>', 'new total quantity')
      .option('--limit <price>', 'new limit price')
      .option('--stop <price>', 'new stop price'),
  ).action(async (id: string, flags: Common & { qty?: string; limit?: string; stop?: string }) => deps.setExitCode(await runOrderModify(id, flags, deps)));
  redisOption(order.command('list').description('recent orders, newest first').option('--open', 'only orders not yet finished').option('--json')).action(
    async (flags: Common & { open?: boolean }) => deps.setExitCode(await withRedis(flags, deps, (redis) => list(redis, flags, deps))),
  );
  redisOption(order.command('breaks').description('open reconciliation breaks (their instruments are locked for new orders)').option('--json')).action(
    async (flags: Common) => deps.setExitCode(await withRedis(flags, deps, (redis) => breaks(redis, flags, deps))),
  );
  redisOption(order.command('clear-break').description('clear a resolved break and unlock its instrument').argument('<symbol>')).action(
    async (symbol: string, flags: Common) => deps.setExitCode(await withRedis(flags, deps, (redis) => clearBreak(redis, symbol, deps))),
  );
  redisOption(order.command('show').description("an order's state and full history").argument('<clientOrderId>').option('--json')).action(
    async (id: string, flags: Common) => deps.setExitCode(await withRedis(flags, deps, (redis) => show(redis, id, flags, deps))),
  );
}

async function withRedis(flags: Common, deps: CliDeps, work: (redis: Redis) => Promise<number>): Promise<number> {
  let redis: Redis | undefined;
  try {
    redis = await connectRedis(resolveRedisUrl(flags.redisUrl, deps.env, (m) => new OrderUsageError(m)));
    return await work(redis);
  } catch (error) {
    deps.err(`tradewire order: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof OrderUsageError ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    redis?.disconnect();
  }
}

/** A plain decimal (`5000`, `-1.25`, `4.5e3`): what a number flag may say. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number flag as the job carries it. `Number()` would read '' as 0 and '0x10' as 16, so anything
 * but a plain decimal stays text, and the job schema refuses it naming the field
 * (`limitPrice: expected number, got "abc"`); nothing is sent.
 */
const number = (value: string | undefined): number | string | undefined =>
  value === undefined || !DECIMAL.test(value.trim()) ? value : Number(value);

export async function runOrderSubmit(flags: SubmitFlags, deps: CliDeps): Promise<number> {
  const job = {
    clientOrderId: flags.id ?? `cli-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
    account: flags.account,
    instrument: flags.conId ? { conId: number(flags.conId) } : { symbol: flags.symbol, expiry: flags.expiry },
    side: flags.side?.toUpperCase(),
    quantity: number(flags.qty),
    orderType: flags.type?.toUpperCase(),
    ...(flags.limit !== undefined ? { limitPrice: number(flags.limit) } : {}),
    ...(flags.stop !== undefined ? { stopPrice: number(flags.stop) } : {}),
    timeInForce: flags.tif?.toUpperCase(),
    strategy: flags.strategy,
    ...(flags.riskReducing ? { riskReducing: true } : {}),
  };
  const parsed = parseOrderJob(job);
  if (!parsed.ok) {
    deps.err(`tradewire order submit: invalid order, nothing was sent:\n  ${parsed.errors.join('\n  ')}`);
    return EXIT_USAGE;
  }
  return withRedis(flags, deps, async (redis) => {
    const queue = new Queue(ORDER_QUEUE_NAME, { connection: redis });
    try {
      const added = await queue.add('cli', job, { priority: orderJobPriority(parsed.job) });
      deps.out(`queued ${job.clientOrderId} (job ${added.id})`);
      return EXIT_OK;
    } finally {
      await queue.close();
    }
  });
}

export async function runOrderModify(clientOrderId: string, flags: Common & { qty?: string; limit?: string; stop?: string }, deps: CliDeps): Promise<number> {
  const job = {
    type: 'modify',
    clientOrderId,
    ...(flags.qty !== undefined ? { quantity: number(flags.qty) } : {}),
    ...(flags.limit !== undefined ? { limitPrice: number(flags.limit) } : {}),
    ...(flags.stop !== undefined ? { stopPrice: number(flags.stop) } : {}),
  };
  const parsed = parseOrderJob(job);
  if (!parsed.ok) {
    deps.err(`tradewire order modify: invalid request, nothing was sent:\n  ${parsed.errors.join('\n  ')}`);
    return EXIT_USAGE;
  }
  return withRedis(flags, deps, async (redis) => {
    const queue = new Queue(ORDER_QUEUE_NAME, { connection: redis });
    try {
      await queue.add('cli-modify', job, { priority: orderJobPriority(parsed.job) });
      deps.out(`modify requested for ${clientOrderId}`);
      return EXIT_OK;
    } finally {
      await queue.close();
    }
  });
}

async function cancel(redis: Redis, clientOrderId: string, deps: CliDeps): Promise<number> {
  const job = { type: 'cancel', clientOrderId };
  const parsed = parseOrderJob(job);
  if (!parsed.ok) {
    deps.err(`tradewire order cancel: ${parsed.errors.join('; ')}`);
    return EXIT_USAGE;
  }
  const queue = new Queue(ORDER_QUEUE_NAME, { connection: redis });
  try {
    await queue.add('cli-cancel', job, { priority: orderJobPriority(parsed.job) });
    deps.out(`cancel requested for ${clientOrderId}`);
    return EXIT_OK;
  } finally {
    await queue.close();
  }
}

async function list(redis: Redis, flags: Common & { open?: boolean }, deps: CliDeps): Promise<number> {
  const store = new OrderStore(redis);
  const ids = flags.open ? await store.openOrderIds() : await store.recentOrderIds(100);
  const orders = (await Promise.all(ids.map((id) => store.load(id)))).filter((o) => o !== null);
  if (flags.json) {
    deps.out(JSON.stringify(orders, null, 2));
    return EXIT_OK;
  }
  if (orders.length === 0) deps.out(flags.open ? 'no open orders' : 'no orders');
  for (const o of orders) {
    const filled = o.context?.filledQuantity ?? 0;
    deps.out(`${o.spec.clientOrderId}  ${o.state}  ${o.spec.side} ${o.spec.quantity} ${o.spec.symbol} ${o.spec.orderType}  filled=${filled}  ${new Date(o.receivedAt).toISOString()}`);
  }
  return EXIT_OK;
}

async function show(redis: Redis, clientOrderId: string, flags: Common, deps: CliDeps): Promise<number> {
  const order = await new OrderStore(redis).load(clientOrderId);
  if (!order) {
    deps.err(`tradewire order show: no order ${JSON.stringify(clientOrderId)}`);
    return EXIT_FAILED;
  }
  const history = await new OrderAuditTrail(redis).historyOf(clientOrderId);
  if (flags.json) {
    deps.out(JSON.stringify({ order, history: history.map((e) => e.record) }, null, 2));
    return EXIT_OK;
  }
  deps.out(`${clientOrderId}: ${order.state}  ${order.spec.side} ${order.spec.quantity} ${order.spec.symbol} ${order.spec.orderType}  filled=${order.context?.filledQuantity ?? 0}`);
  for (const { record } of history) {
    const { kind, ts, seq, clientOrderId: _id, account: _a, actor, ...rest } = record as unknown as Record<string, unknown>;
    deps.out(`  #${String(seq)} ${String(ts)}  ${String(kind)}  by ${String(actor)}  ${JSON.stringify(rest)}`);
  }
  return EXIT_OK;
}

async function breaks(redis: Redis, flags: Common, deps: CliDeps): Promise<number> {
  const registry = new BreakRegistry(redis);
  await registry.refresh();
  if (flags.json) deps.out(JSON.stringify(registry.breaks, null, 2));
  else if (registry.breaks.length === 0) deps.out('no open breaks');
  else for (const b of registry.breaks) deps.out(`${b.symbol}  ${b.kind}  ${b.at}  ${b.detail}`);
  return EXIT_OK;
}

async function clearBreak(redis: Redis, symbol: string, deps: CliDeps): Promise<number> {
  const cleared = await new BreakRegistry(redis).clear(symbol);
  if (!cleared) {
    deps.err(`tradewire order clear-break: no open break for ${symbol}`);
    return EXIT_FAILED;
  }
  deps.out(`break for ${symbol} cleared; new orders in ${symbol} are allowed again`);
  return EXIT_OK;
}
