import type { Redis } from 'ioredis';
import { z } from 'zod';
import { OrderAuditTrail } from '../../audit/index.ts';
import type { ConfiguredKeys } from '../../redis/namespaceKeys.ts';
import { OrderStore } from '../../orders/orderStore.ts';
import { BreakRegistry } from '../../orders/breakRegistry.ts';
import { parseOrderJob } from '../../orders/schema/index.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliDeps } from '../cliDeps.ts';
import { cliKeys } from '../cliKeys.ts';
import { runAdminMutation } from '../operatorAction.ts';
import type { AdminTargetOptions } from '../options.ts';
import { connectRedis, resolveRedisUrl } from '../redisConnection.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

class OrderUsageError extends Error {}

/** What the commands that read Redis take. */
export interface ReadFlags {
  redisUrl?: string;
  namespace?: string;
  json?: boolean;
}

export interface SubmitFlags extends AdminTargetOptions {
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

export interface ModifyFlags extends AdminTargetOptions {
  qty?: string;
  limit?: string;
  stop?: string;
}

export interface ClearBreakFlags extends AdminTargetOptions {
  reason?: string;
  operator?: string;
}

/** What the admin API answers an order, cancel or modify it queued. */
const queuedSchema = z.object({ accepted: z.literal(true), jobId: z.string(), clientOrderId: z.string() });
const clearedSchema = z.object({ cleared: z.literal(true), symbol: z.string(), requestId: z.string() });

/** Resolves the keys (bad input is exit 2, before connecting), opens Redis, runs the read, always disconnects. */
async function withRedis(flags: ReadFlags, deps: CliDeps, work: (redis: Redis, keys: ConfiguredKeys) => Promise<number>): Promise<number> {
  let redis: Redis | undefined;
  try {
    const keys = cliKeys(flags.namespace, deps.env, (m) => new OrderUsageError(m));
    redis = await connectRedis(resolveRedisUrl(flags.redisUrl, deps.env, (m) => new OrderUsageError(m)));
    return await work(redis, keys);
  } catch (error) {
    deps.err(`tradewire order: ${errorMessage(error)}`);
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

/** Checks a job as the runtime will, so a bad one is refused here naming the field (exit 2), with nothing sent. */
function invalidJob(job: unknown, what: string, deps: CliDeps): boolean {
  const parsed = parseOrderJob(job);
  if (parsed.ok) return false;
  deps.err(`tradewire order ${what}: nothing was sent:\n  ${parsed.errors.join('\n  ')}`);
  return true;
}

const orderPath = (clientOrderId: string, action: string) => `/orders/${encodeURIComponent(clientOrderId)}/${action}`;

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
  if (invalidJob(job, 'submit: invalid order', deps)) return EXIT_USAGE;
  return runAdminMutation(flags, deps, {
    path: '/orders',
    body: job,
    answer: queuedSchema,
    describe: ({ clientOrderId, jobId }) => `queued ${clientOrderId} (job ${jobId})`,
  });
}

export async function runOrderModify(clientOrderId: string, flags: ModifyFlags, deps: CliDeps): Promise<number> {
  const terms = {
    ...(flags.qty !== undefined ? { quantity: number(flags.qty) } : {}),
    ...(flags.limit !== undefined ? { limitPrice: number(flags.limit) } : {}),
    ...(flags.stop !== undefined ? { stopPrice: number(flags.stop) } : {}),
  };
  if (invalidJob({ type: 'modify', clientOrderId, ...terms }, 'modify: invalid request', deps)) return EXIT_USAGE;
  return runAdminMutation(flags, deps, {
    path: orderPath(clientOrderId, 'modify'),
    body: terms,
    answer: queuedSchema,
    describe: ({ jobId }) => `modify requested for ${clientOrderId} (job ${jobId})`,
  });
}

export async function runOrderCancel(clientOrderId: string, flags: AdminTargetOptions, deps: CliDeps): Promise<number> {
  if (invalidJob({ type: 'cancel', clientOrderId }, 'cancel: invalid request', deps)) return EXIT_USAGE;
  return runAdminMutation(flags, deps, {
    path: orderPath(clientOrderId, 'cancel'),
    body: {},
    answer: queuedSchema,
    describe: ({ jobId }) => `cancel requested for ${clientOrderId} (job ${jobId})`,
  });
}

export async function runClearBreak(symbol: string, flags: ClearBreakFlags, deps: CliDeps): Promise<number> {
  return runAdminMutation(flags, deps, {
    path: `/breaks/${encodeURIComponent(symbol)}/clear`,
    body: { ...(flags.reason !== undefined ? { reason: flags.reason } : {}), ...(flags.operator !== undefined ? { operator: flags.operator } : {}) },
    answer: clearedSchema,
    describe: () => `break for ${symbol} cleared; new orders in ${symbol} are allowed again (the order service picks it up within 2 s)`,
  });
}

async function list(redis: Redis, keys: ConfiguredKeys, flags: ReadFlags & { open?: boolean }, deps: CliDeps): Promise<number> {
  const store = new OrderStore(redis, keys.ordersPrefix);
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

async function show(redis: Redis, keys: ConfiguredKeys, clientOrderId: string, flags: ReadFlags, deps: CliDeps): Promise<number> {
  const order = await new OrderStore(redis, keys.ordersPrefix).load(clientOrderId);
  if (!order) {
    deps.err(`tradewire order show: no order ${JSON.stringify(clientOrderId)}`);
    return EXIT_FAILED;
  }
  const history = await new OrderAuditTrail(redis, { key: keys.auditStreamKey }).historyOf(clientOrderId);
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

async function breaks(redis: Redis, keys: ConfiguredKeys, flags: ReadFlags, deps: CliDeps): Promise<number> {
  const registry = new BreakRegistry(redis, keys.orderBreaks);
  await registry.refresh();
  if (flags.json) deps.out(JSON.stringify(registry.breaks, null, 2));
  else if (registry.breaks.length === 0) deps.out('no open breaks');
  else for (const b of registry.breaks) deps.out(`${b.symbol}  ${b.kind}  ${b.at}  ${b.detail}`);
  return EXIT_OK;
}

export function runOrderList(flags: ReadFlags & { open?: boolean }, deps: CliDeps): Promise<number> {
  return withRedis(flags, deps, (redis, keys) => list(redis, keys, flags, deps));
}

export function runOrderBreaks(flags: ReadFlags, deps: CliDeps): Promise<number> {
  return withRedis(flags, deps, (redis, keys) => breaks(redis, keys, flags, deps));
}

export function runOrderShow(clientOrderId: string, flags: ReadFlags, deps: CliDeps): Promise<number> {
  return withRedis(flags, deps, (redis, keys) => show(redis, keys, clientOrderId, flags, deps));
}
