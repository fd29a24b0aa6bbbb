import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayJobId } from '../../src/queues/index.ts';
import { OperatorWorld, READ_TOKEN } from './operatorWorld.ts';

type ErrorBody = { error: { code: string; message: string } };

let world: OperatorWorld;
beforeAll(async () => {
  world = await OperatorWorld.start({ readToken: READ_TOKEN });
});
afterAll(async () => {
  await world?.stop();
});

const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

describe('POST /breaks/:symbol/clear (real HTTP, real Runtime, real Redis under a namespace)', () => {
  it('clears an open break in the namespace, then answers 404 for it; audited with the operator role', async () => {
    await world.breaks.record({ symbol: 'ES', kind: 'unknown_fill', detail: 'exec 1 unknown', at: new Date().toISOString() });
    const cleared = await world.post('/breaks/ES/clear', { reason: 'broker statement checked', operator: 'alice' });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toMatchObject({ cleared: true, symbol: 'ES' });
    await world.breaks.refresh();
    expect(world.breaks.lockedInstruments.has('ES')).toBe(false);

    const again = await world.post('/breaks/ES/clear', {});
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toMatchObject({ code: 'unknown_break', message: expect.stringContaining('no open break for ES') });
    expect(world.audited.filter((r) => r.route === '/breaks/:symbol/clear').map((r) => [r.role, r.statusCode])).toEqual([
      ['operator', 200],
      ['operator', 404],
    ]);
  });

  it.each([
    ['/breaks/E%20S/clear', {}, 'symbol:'],
    ['/breaks/ES/clear', { reason: 5 }, 'reason: must be a string'],
    ['/breaks/ES/clear', { reason: '  ' }, 'reason: must not be empty'],
    ['/breaks/ES/clear', { force: true }, 'force'],
  ])('%s %j is refused with 400 naming the field, nothing cleared', async (path, body, field) => {
    await world.breaks.record({ symbol: 'ES', kind: 'overfill', detail: 'x', at: new Date().toISOString() });
    const response = await world.post(path, body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain(field);
    await world.breaks.refresh();
    expect(world.breaks.lockedInstruments.has('ES')).toBe(true);
  });

  it('refuses the read-only role with 403, nothing cleared and nothing audited', async () => {
    await world.breaks.record({ symbol: 'NQ', kind: 'overfill', detail: 'x', at: new Date().toISOString() });
    const before = world.audited.length;
    const response = await world.post('/breaks/NQ/clear', {}, READ_TOKEN);
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: 'forbidden', message: expect.stringContaining('read-only role') });
    await world.breaks.refresh();
    expect(world.breaks.lockedInstruments.has('NQ')).toBe(true);
    expect(world.audited).toHaveLength(before);
  });
});

describe('POST /dlq/:queue/replay and /purge (real HTTP, real Runtime, real Redis under a namespace)', () => {
  let ids: string[];
  beforeAll(async () => {
    ids = await world.deadLetters(3);
  });

  it('replays one dead letter once: the second replay submits nothing', async () => {
    const before = await world.ordersQueue.count();
    const first = await world.post('/dlq/orders/replay', { id: `orders:dead:${ids[0]}` });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: `orders:dead:${ids[0]}`, status: 'replayed', jobId: replayJobId(ids[0]!) });
    const second = await world.post('/dlq/orders/replay', { id: ids[0] });
    expect(await second.json()).toMatchObject({ status: 'already_replayed', jobId: replayJobId(ids[0]!) });
    expect((await world.ordersQueue.count()) - before).toBe(1);
  });

  it('replays the rest with {"all": true}', async () => {
    const before = await world.ordersQueue.count();
    const response = await world.post('/dlq/orders/replay', { all: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ replayed: 2, alreadyReplayed: 1, inProgress: 0, notReplayable: 0 });
    expect((await world.ordersQueue.count()) - before).toBe(2);
  });

  it.each([
    [{}, 'id: required unless "all" is true'],
    [{ id: 'orders:dead:1', all: true }, 'all: give either id or all, not both'],
    [{ all: false }, 'all: must be true'],
    [{ id: 7 }, 'id: must be a string'],
    [{ id: 'reports:dead:1' }, 'id: "reports:dead:1" belongs to reports:dead'],
    [{ id: 'x', queue: 'orders' }, 'queue'],
  ])('replay %j answers 400 naming the field', async (body, message) => {
    const before = await world.ordersQueue.count();
    const response = await world.post('/dlq/orders/replay', body);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'invalid_body', message: expect.stringContaining(message) });
    expect(await world.ordersQueue.count()).toBe(before);
  });

  it('answers 404 for an unknown dead letter or queue, 400 for a queue that is not a name', async () => {
    const missing = await world.post('/dlq/orders/replay', { id: 'orders:dead:nope' });
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toMatchObject({ code: 'dead_letter_not_found', message: 'id: no dead letter "orders:dead:nope"' });
    const unknown = await world.post('/dlq/fills/purge', { olderThan: '1d' });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: 'unknown_queue', message: expect.stringContaining('known: orders, reports, regulatory-close') });
    const notAName = await world.post(`/dlq/${encodeURIComponent('orders:dead')}/replay`, { all: true });
    expect(notAName.status).toBe(400);
    expect((await errorOf(notAName)).message).toMatch(/^queue: /);
  });

  it.each([
    [{}, 'olderThan: required'],
    [{ olderThan: 'abc' }, 'olderThan: invalid duration "abc"'],
    [{ olderThan: 7 }, 'olderThan: must be a string'],
    [{ olderThan: '7d', queue: 'orders' }, 'queue'],
  ])('purge %j answers 400 naming the field, nothing purged', async (body, message) => {
    const response = await world.post('/dlq/orders/purge', body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain(message);
    expect(await world.deadCount()).toBe(3);
  });

  it('purges only dead letters older than the duration; the read role may not', async () => {
    const readOnly = await world.post('/dlq/orders/purge', { olderThan: '0ms' }, READ_TOKEN);
    expect(readOnly.status).toBe(403);
    const kept = await world.post('/dlq/orders/purge', { olderThan: '7d' });
    expect(await kept.json()).toMatchObject({ purged: [], count: 0, queue: 'orders' });
    const all = await world.post('/dlq/orders/purge', { olderThan: '0ms' });
    expect(all.status).toBe(200);
    expect(((await all.json()) as { purged: string[] }).purged.sort()).toEqual(ids.map((id) => `orders:dead:${id}`).sort());
    expect(await world.deadCount()).toBe(0);
    const routes = world.audited.filter((r) => r.route.startsWith('/dlq/')).map((r) => r.route);
    expect(routes).toContain('/dlq/:queue/purge');
    expect(routes).toContain('/dlq/:queue/replay');
    expect(world.audited.every((r) => r.role === 'operator')).toBe(true);
  });
});
