import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderAuditTrail } from '../../../src/audit/index.ts';
import { readChainTip } from '../../../src/audit/chainTip.ts';
import { registerAuditCommand } from '../../../src/cli/commands/audit.ts';
import { registerOrderCommand } from '../../../src/cli/commands/order.ts';
import { loadConfig } from '../../../src/config/index.ts';
import { startMainProcess, type MainProcess } from '../../../src/runtime/mainProcess.ts';
import { createMemoryLogger, type LogEntry } from '../../admin/memoryLogger.ts';
import { runCliWith } from '../../cli/cliHarness.ts';
import { waitUntil } from '../../support/waitUntil.ts';
import { startVolatileRedis, type VolatileRedis } from './volatileRedis.ts';
import { SIM_CLOCK_ENV } from '../../support/simClock.ts';

const TOKEN = 'continuity-admin-token';
const HALT_REASON = /Redis lost its state \(epoch, order-id mark, audit head\)/;
let redis: VolatileRedis;
let main: MainProcess;
let entries: LogEntry[];

beforeAll(async () => {
  redis = await startVolatileRedis();
  const memory = createMemoryLogger();
  entries = memory.entries;
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { redis: { url: redis.url }, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } } } });
  main = await startMainProcess(config, memory.logger, { capabilities: ['broker', 'orders'] });
  await main.runtime.whenReady();
});
afterAll(async () => {
  await main?.stop();
  await redis?.stop();
});

const post = (path: string, body: unknown, token: string | null = TOKEN) =>
  fetch(`${main.admin.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
const order = (clientOrderId: string, extra: Record<string, unknown> = {}) =>
  post('/orders', { clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'MKT', strategy: 'continuity', ...extra });
const stored = (id: string) => main.orders!.service.store.load(id);
/** The runtime's audit stream (under its namespace). */
const auditStream = () => main.orders!.service.audit.keys.stream;
const stateLostLines = () => entries.filter((entry) => entry.message === 'redis state lost');
const ready = async () => {
  const response = await fetch(`${main.admin.url}/ready`);
  return { status: response.status, body: (await response.json()) as { ready: boolean; reasons?: string[] } };
};
const verify = () => runCliWith([registerAuditCommand], ['audit', 'verify', '--redis-url', redis.url]);

/**
 * What an operator does after a loss, besides resuming: the broker's executions of orders the store
 * lost are reconciliation breaks that lock their instrument; once checked, they are cleared.
 */
async function clearBreaksOnceChecked(symbol: string): Promise<void> {
  await waitUntil(() => main.orders!.service.breaks.lockedInstruments.has(symbol), `the ${symbol} break`, 5_000);
  expect((await runCliWith([registerOrderCommand], ['order', 'clear-break', symbol, '--url', main.admin.url], { TRADEWIRE_ADMIN_TOKEN: TOKEN })).exitCode).toBe(0);
  await waitUntil(() => !main.orders!.service.breaks.lockedInstruments.has(symbol), `${symbol} unlocked`, 5_000);
}

async function orderFilled(id: string): Promise<number> {
  expect((await order(id)).status).toBe(202);
  await waitUntil(async () => (await stored(id))?.state === 'filled', `${id} filled`, 10_000);
  return (await stored(id))!.ibOrderId!;
}

async function resumeWhenRecovered(body: Record<string, unknown>) {
  let response!: Response;
  await waitUntil(async () => {
    response = await post('/resume', body);
    return response.status !== 409;
  }, 'the recovery to finish', 10_000);
  return response;
}

describe('Redis losing its data is detected, and never silently repaired', () => {
  it('FLUSHALL: one error line naming what was lost, intake halted (/ready 503, orders rejected with the reason), audit verify names the gap, an audited resume, then orders fill again with fresh ids', async () => {
    const before = [await orderFilled('pre-1'), await orderFilled('pre-2')];
    const trail = new OrderAuditTrail(redis.admin, { key: auditStream() });
    await waitUntil(async () => main.continuity.guard.anchors.auditHead?.seq === (await readChainTip(redis.admin, trail.keys))?.seq, 'the guard to know the audit head', 5_000);
    const head = main.continuity.guard.anchors.auditHead!;

    await redis.admin.flushall();
    await waitUntil(() => stateLostLines().length > 0, 'the "redis state lost" line', 5_000);
    const [line] = stateLostLines();
    expect(line).toMatchObject({ level: 'error', lost: ['epoch', 'order-id mark', 'audit head'], intake: 'halted', previousAuditHead: { seq: head.seq, hash: head.hash } });

    // The order-id mark is back in the store before any new order needs it.
    await waitUntil(() => entries.some((entry) => entry.message === 'order ids re-seeded after the Redis state loss'), 'the re-seed', 5_000);
    const markKey = main.broker.session('ib')!.orderIds.key;
    expect(Number(await redis.admin.get(markKey))).toBeGreaterThanOrEqual((line?.orderIdMarks as { ib: number }).ib);

    const halted = await ready();
    expect(halted.status).toBe(503);
    expect(halted.body.reasons?.join('\n')).toMatch(HALT_REASON);

    // Before the resume: refused with the halt's reason, never sent.
    expect((await order('during-halt')).status).toBe(202);
    await waitUntil(async () => (await stored('during-halt'))?.state === 'rejected', 'during-halt rejected', 10_000);
    const refused = await stored('during-halt');
    expect(refused?.context?.rejectReason).toMatch(HALT_REASON);
    expect(refused?.ibOrderId ?? null).toBeNull();

    const verified = await verify();
    expect(verified.exitCode).toBe(1);
    expect(verified.out).toMatch(/DISCONTINUOUS/);
    expect(verified.out).toContain(`seqs 1..${head.seq} of the trail as it was (its head: seq ${head.seq}, hash ${head.hash}) are gone`);
    expect(verified.out).toMatch(/lost: epoch, order-id mark, audit head/);

    const missingReason = await post('/resume', {});
    expect(missingReason.status).toBe(400);
    expect(((await missingReason.json()) as { error: { message: string } }).error.message).toMatch(/^reason: required/);
    expect((await post('/resume', { reason: 'x' }, null)).status).toBe(401);

    const resumed = await resumeWhenRecovered({ reason: 'broker checked: nothing lost', operator: 'alice' });
    expect(resumed.status).toBe(200);
    const answer = (await resumed.json()) as { cleared: string[]; auditSeq: number; requestId: string };
    expect(answer.cleared).toEqual(['redis-state-lost']);
    const history = async () => (await new OrderAuditTrail(redis.admin, { key: auditStream() }).runtimeHistory()).map((entry) => entry.record);
    // The admin requests themselves are recorded too (after their answer): the resume among them.
    await waitUntil(async () => (await history()).some((record) => record.kind === 'adminRequest' && record.requestId === answer.requestId && record.statusCode === 200), 'the resume request in the trail');
    const runtimeRecords = (await history()).filter((record) => record.kind !== 'adminRequest');
    expect(runtimeRecords.map((record) => record.kind)).toEqual(['discontinuity', 'intakeResumed']);
    expect(runtimeRecords[1]).toMatchObject({ who: 'alice', reason: 'broker checked: nothing lost', requestId: answer.requestId, causes: ['redis-state-lost'], seq: answer.auditSeq });
    expect((await ready()).status).toBe(200);
    expect((await post('/resume', { reason: 'again' })).status).toBe(409);

    // The broker accepts the next order (a reused id would be refused with 103).
    await clearBreaksOnceChecked('ES');
    const after = await orderFilled('post-1');
    expect(after).toBeGreaterThan(Math.max(...before));
    expect(stateLostLines()).toHaveLength(1);
  });

  it('SHUTDOWN NOSAVE and a restart: found on reconnect, halted again until resumed', async () => {
    const seen = stateLostLines().length;
    await redis.restartEmpty();
    await waitUntil(() => stateLostLines().length > seen, 'a second "redis state lost" line', 10_000);
    expect(stateLostLines()).toHaveLength(seen + 1);
    expect(stateLostLines().at(-1)?.lost).toContain('epoch');
    expect((await ready()).status).toBe(503);
    expect((await resumeWhenRecovered({ reason: 'redis restarted empty; broker checked' })).status).toBe(200);
    await clearBreaksOnceChecked('ES');
    await orderFilled('post-2');
  });
});
