import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminServer } from '../../src/admin/index.ts';
import { registerDlqCommand } from '../../src/cli/commands/dlq.ts';
import { registerOrderCommand } from '../../src/cli/commands/order.ts';
import { namespaceKeys } from '../../src/redis/namespaceKeys.ts';
import type { AdminRequestRecord, RuntimeView } from '../../src/admin/runtimeView.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';
import { runCliWith } from './cliHarness.ts';
import { CLI_TEST_TOKEN, startLiveAdmin, unusedPort } from './liveServer.ts';

const NAMESPACE = 'cli-mutations';
const BREAKS_KEY = `${namespaceKeys(NAMESPACE).ordersPrefix}:breaks`;

/** What the fake runtime behind the live admin API was asked to do. */
type Call = [string, ...unknown[]];

let redis: PrivateRedis;
let client: Redis;
let server: AdminServer;
let calls: Call[];
let audited: AdminRequestRecord[];

beforeAll(async () => {
  // A Redis of the test's own: every key in it is known, so any write the CLI made would show.
  redis = await startPrivateRedis();
  client = new Redis(redis.url);
  await client.hset(BREAKS_KEY, 'ES', JSON.stringify({ symbol: 'ES', kind: 'overfill', detail: 'seeded', at: '2026-01-01T00:00:00.000Z' }));
  const live = await startLiveAdmin();
  server = live.server;
  const view: RuntimeView = live.view;
  view.submitOrderJob = async (job) => {
    calls.push(['submitOrderJob', job]);
    return { accepted: true, jobId: '41', clientOrderId: (job as { clientOrderId: string }).clientOrderId };
  };
  view.clearBreak = async (symbol) => (calls.push(['clearBreak', symbol]), true);
  view.deadLetterQueues = () => ['orders'];
  view.replayDeadLetters = async (queue, id) => {
    calls.push(['replayDeadLetters', queue, id]);
    return id === undefined ? { replayed: 0, alreadyReplayed: 0, inProgress: 0, notReplayable: 0, results: [] } : { id, status: 'replayed', jobId: 'replay-7' };
  };
  view.purgeDeadLetters = async (queue, olderThanMs) => (calls.push(['purgeDeadLetters', queue, olderThanMs]), []);
  view.auditAdminRequest = async (record) => void audited.push(record);
});
afterAll(async () => {
  await server?.close();
  client?.disconnect();
  await redis?.stop();
  redis?.remove();
});

/** Every change the CLI makes, with what the runtime must be asked for and the audited route. */
const MUTATIONS: { args: string[]; call: Call; route: string; status: number }[] = [
  {
    args: ['order', 'submit', '--symbol', 'ES', '--expiry', '202703', '--side', 'BUY', '--qty', '1', '--id', 'm-1'],
    call: ['submitOrderJob', expect.objectContaining({ clientOrderId: 'm-1', side: 'BUY', quantity: 1, instrument: { symbol: 'ES', expiry: '202703' } })],
    route: '/orders',
    status: 202,
  },
  { args: ['order', 'cancel', 'm-1'], call: ['submitOrderJob', { type: 'cancel', clientOrderId: 'm-1' }], route: '/orders/:clientOrderId/cancel', status: 202 },
  { args: ['order', 'modify', 'm-1', '--limit', '5000'], call: ['submitOrderJob', { type: 'modify', clientOrderId: 'm-1', limitPrice: 5000 }], route: '/orders/:clientOrderId/modify', status: 202 },
  { args: ['order', 'clear-break', 'ES', '--reason', 'checked'], call: ['clearBreak', 'ES'], route: '/breaks/:symbol/clear', status: 200 },
  { args: ['dlq', 'replay', 'orders:dead:7'], call: ['replayDeadLetters', 'orders', 'orders:dead:7'], route: '/dlq/:queue/replay', status: 200 },
  { args: ['dlq', 'replay', '--all', '--queue', 'orders'], call: ['replayDeadLetters', 'orders', undefined], route: '/dlq/:queue/replay', status: 200 },
  { args: ['dlq', 'purge', '--older-than', '7d', '--queue', 'orders'], call: ['purgeDeadLetters', 'orders', 7 * 86_400_000], route: '/dlq/:queue/purge', status: 200 },
];

const cli = (args: string[], env: NodeJS.ProcessEnv) =>
  runCliWith([registerOrderCommand, registerDlqCommand], args, { REDIS_URL: redis.url, TRADEWIRE_NAMESPACE: NAMESPACE, ...env });

/** The private Redis holds exactly what the test seeded: the CLI wrote nothing there. */
async function expectRedisUntouched(): Promise<void> {
  expect(await client.keys('*')).toEqual([BREAKS_KEY]);
  expect(Object.keys(await client.hgetall(BREAKS_KEY))).toEqual(['ES']);
}

describe('every CLI change goes through the admin API with the operator token, never to Redis', () => {
  it.each(MUTATIONS)('tradewire $args.0 $args.1 → the runtime is asked, the request audited with the operator role', async ({ args, call, route, status }) => {
    calls = [];
    audited = [];
    const run = await cli(args, { TRADEWIRE_ADMIN_URL: server.url, TRADEWIRE_ADMIN_TOKEN: CLI_TEST_TOKEN });
    expect(run).toMatchObject({ exitCode: 0, err: '' });
    expect(calls).toEqual([call]);
    expect(audited).toEqual([expect.objectContaining({ method: 'POST', route, role: 'operator', statusCode: status })]);
    await expectRedisUntouched();
  });

  it.each(MUTATIONS)('without a token, tradewire $args.0 $args.1 sends nothing: exit 2, a clear error', async ({ args }) => {
    calls = [];
    audited = [];
    const run = await cli(args, { TRADEWIRE_ADMIN_URL: server.url });
    expect(run.exitCode).toBe(2);
    expect(run.err).toBe('error: no operator token: set TRADEWIRE_ADMIN_TOKEN (or pass --token); changes go through the admin API, which needs it. Nothing was sent');
    expect(run.out).toBe('');
    expect(calls).toEqual([]);
    expect(audited).toEqual([]);
    await expectRedisUntouched();
  });

  it.each(MUTATIONS)('with the admin API unreachable, tradewire $args.0 $args.1 fails: exit 1 naming the URL, and writes nothing', async ({ args }) => {
    const url = `http://127.0.0.1:${await unusedPort()}`;
    const run = await cli(args, { TRADEWIRE_ADMIN_URL: url, TRADEWIRE_ADMIN_TOKEN: CLI_TEST_TOKEN });
    expect(run.exitCode).toBe(1);
    expect(run.err).toBe(`error: cannot reach the tradewire admin API at ${url} (ECONNREFUSED). Is it running? Start it with \`tradewire start\`.`);
    expect(run.err).not.toContain(CLI_TEST_TOKEN);
    await expectRedisUntouched();
  });
});
