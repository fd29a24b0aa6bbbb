import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActorNode } from '../../src/admin/runtimeView.ts';
import { authorized, makeAdminTestApp, TEST_TOKEN } from './adminTestApp.ts';
import { FakeRuntimeView, sampleEventSchemas } from './fakeRuntimeView.ts';

let current: ReturnType<typeof makeAdminTestApp>;
const setup = (options?: Parameters<typeof makeAdminTestApp>[0]) => (current = makeAdminTestApp(options));
afterEach(() => current?.app.close());

const post = (systemId: string, payload: unknown, headers: Record<string, string> = authorized) =>
  current.app.inject({ method: 'POST', url: `/actors/${encodeURIComponent(systemId)}/events`, headers, payload: payload as object });

describe('POST /actors/:systemId/events', () => {
  it('delivers the event to a live actor and answers 202', async () => {
    const { view } = setup();
    const response = await post('ib-connection', { type: 'RECONNECT', reason: 'test', attempt: 2 });
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body).toEqual({ accepted: true, systemId: 'ib-connection', delivery: 'delivered', requestId: response.headers['x-request-id'] });
    expect(view.delivered).toEqual([
      { systemId: 'ib-connection', event: { type: 'RECONNECT', reason: 'test', attempt: 2 }, requestId: body.requestId },
    ]);
  });

  it('reports buffered delivery for a restarting actor', async () => {
    setup();
    const response = await post('market-data', { type: 'SUBSCRIBE' });
    expect(response.statusCode).toBe(202);
    expect(response.json().delivery).toBe('buffered');
  });

  it('passes the caller request id through to the runtime', async () => {
    const { view } = setup();
    await post('market-data', { type: 'X' }, { ...authorized, 'x-request-id': 'ops-42' });
    expect(view.delivered[0]?.requestId).toBe('ops-42');
  });

  it('answers 404 for an unknown actor', async () => {
    const { view } = setup();
    const response = await post('nobody', { type: 'X' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'unknown_actor', message: 'no actor with systemId "nobody"' } });
    expect(view.delivered).toEqual([]);
  });

  it('writes one log line per mutating request with requestId, systemId and event type, never the token', async () => {
    const { logs } = setup();
    await post('ib-connection', { type: 'RECONNECT' }, { ...authorized, 'x-request-id': 'req-1' });
    await vi.waitFor(() => expect(logs.entries.filter((e) => e.message === 'admin mutating request')).toHaveLength(1));
    expect(logs.entries.find((e) => e.message === 'admin mutating request')).toMatchObject({
      level: 'info',
      requestId: 'req-1',
      systemId: 'ib-connection',
      eventType: 'RECONNECT',
      statusCode: 202,
    });
    expect(logs.rawLines.join('\n')).not.toContain(TEST_TOKEN);
  });

  it('logs rejected mutating requests too, without the presented token', async () => {
    const { logs } = setup();
    await post('ib-connection', { type: 'X' }, { authorization: 'Bearer wrong-token-value' });
    await vi.waitFor(() => expect(logs.entries.some((e) => e.message === 'admin mutating request')).toBe(true));
    expect(logs.entries.find((e) => e.message === 'admin mutating request')).toMatchObject({ level: 'warn', statusCode: 401 });
    expect(logs.rawLines.join('\n')).not.toContain('wrong-token-value');
  });
});

describe('bad input', () => {
  const raw = (payload: string, contentType = 'application/json', systemId = 'market-data') =>
    current.app.inject({
      method: 'POST',
      url: `/actors/${systemId}/events`,
      headers: { ...authorized, 'content-type': contentType },
      payload,
    });

  it('rejects malformed JSON with 400', async () => {
    setup();
    const response = await raw('{"type": ');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
  });

  it('rejects an empty JSON body with 400', async () => {
    setup();
    const response = await raw('');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/empty/);
  });

  it.each([
    ['{}', /type/],
    ['{"type": 7}', /type: .*expected string/],
    ['{"type": ""}', /type/],
    ['[{"type":"X"}]', /JSON object/],
    ['"X"', /JSON object/],
    ['null', /JSON object/],
  ])('rejects %s with 400 saying what is wrong', async (payload, explanation) => {
    const { view } = setup();
    const response = await raw(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'invalid_event', message: expect.stringMatching(explanation) });
    expect(view.delivered).toEqual([]);
  });

  it('rejects a prototype-poisoning body with 400', async () => {
    const { view } = setup();
    const response = await raw('{"type":"X","__proto__":{"polluted":true}}');
    expect(response.statusCode).toBe(400);
    expect(view.delivered).toEqual([]);
  });

  it('rejects a body over 64 KiB with 413', async () => {
    setup();
    const response = await raw(JSON.stringify({ type: 'X', pad: 'a'.repeat(64 * 1024) }));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('accepts a body just under the limit', async () => {
    setup();
    const payload = JSON.stringify({ type: 'X', pad: '' });
    const response = await raw(JSON.stringify({ type: 'X', pad: 'a'.repeat(64 * 1024 - payload.length) }));
    expect(response.statusCode).toBe(202);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/octet-stream']])(
    'rejects content type %s with 415',
    async (contentType) => {
      setup();
      const response = await raw('type=X', contentType);
      expect(response.statusCode).toBe(415);
      expect(response.json().error.code).toBe('unsupported_media_type');
    },
  );

  it('accepts application/json with a charset', async () => {
    setup();
    expect((await raw('{"type":"X"}', 'application/json; charset=utf-8')).statusCode).toBe(202);
  });

  it('answers an undecodable URL with a JSON 400 carrying a request id', async () => {
    setup();
    const response = await current.app.inject({ method: 'POST', url: '/actors/%E0%A4%A/events', headers: authorized, payload: { type: 'X' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('bad_request');
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('answers 500 as JSON without details when the runtime throws', async () => {
    const { view } = setup();
    view.deliver = () => {
      throw new Error('internal detail: secret-path');
    };
    const response = await post('market-data', { type: 'X' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal_error');
    expect(response.body).not.toContain('secret-path');
  });
});

describe('what no actor takes from outside', () => {
  const node = (systemId: string, kind: string, children: ActorNode[] = []): ActorNode => ({
    systemId,
    kind,
    state: null,
    status: 'running',
    restarts: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    children,
  });
  const withOrders = () =>
    setup({
      view: new FakeRuntimeView(node('root', 'supervisor', [node('ib-connection', 'ib-connection'), node('orders', 'supervisor', [node('order:carry.ES.1', 'order')])]), sampleEventSchemas()),
    });
  const refusal = async (systemId: string, event: unknown) => {
    const response = await post(systemId, event);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_event');
    return response.json().error.message as string;
  };

  it.each([['root'], ['orders'], ['ib-connection'], ['order:carry.ES.1']])('refuses tradewire.shutdown into %s with 400 naming it', async (systemId) => {
    const { view } = withOrders();
    expect(await refusal(systemId, { type: 'tradewire.shutdown' })).toMatch(/"tradewire\.shutdown" is internal/);
    expect(view.delivered).toEqual([]);
  });

  it('refuses any event into a supervisor: they take none from outside', async () => {
    const { view } = withOrders();
    expect(await refusal('orders', { type: 'RESTART_ALL' })).toBe('actor "orders" refused the event: it accepts no injected events');
    expect(await refusal('root', { type: 'PING' })).toBe('actor "root" refused the event: it accepts no injected events');
    expect(view.delivered).toEqual([]);
  });

  it('names an undeclared type and what the actor declares', async () => {
    withOrders();
    expect(await refusal('ib-connection', { type: 'EXPLODE' })).toBe(
      'actor "ib-connection" refused the event: event type "EXPLODE" is not declared by it (it accepts "RECONNECT", "FAILOVER")',
    );
    expect(await refusal('order:carry.ES.1', { type: 'FILL_IT' })).toMatch(/event type "FILL_IT" is not declared by it \(it accepts "CANCEL", "MODIFY"\)/);
  });

  it('refuses a forged broker fill into an order with 400, delivering nothing', async () => {
    const { view } = withOrders();
    const message = await refusal('order:carry.ES.1', { type: 'broker.fill', fill: { execId: 'forged', quantity: 1, price: 5000 } });
    expect(message).toMatch(/"broker\.fill" is broker-origin/);
    expect(message).toMatch(/testing\.brokerEventInjection/);
    expect(view.delivered).toEqual([]);
  });

  it.each([
    [{ type: 'MODIFY', limitPrice: 'abc' }, /limitPrice/],
    [{ type: 'MODIFY', quantity: -2 }, /quantity: must be positive/],
    [{ type: 'MODIFY', quantity: 1.5 }, /quantity: must be a whole number/],
    [{ type: 'MODIFY', stopPrice: null }, /stopPrice/],
    [{ type: 'MODIFY' }, /at least one of quantity, limitPrice, stopPrice/],
    [{ type: 'MODIFY', limitPrice: 5001, account: 'DU999' }, /account/],
    [{ type: 'CANCEL', reason: 7 }, /reason/],
  ])('refuses the order event %j with 400 naming the field', async (event, field) => {
    const { view } = withOrders();
    expect(await refusal('order:carry.ES.1', event)).toMatch(field);
    expect(view.delivered).toEqual([]);
  });

  it('delivers a valid CANCEL or MODIFY to an order', async () => {
    const { view } = withOrders();
    expect((await post('order:carry.ES.1', { type: 'MODIFY', limitPrice: 5001.25 })).statusCode).toBe(202);
    expect((await post('order:carry.ES.1', { type: 'CANCEL', reason: 'ops' })).statusCode).toBe(202);
    expect(view.delivered.map((d) => d.event)).toEqual([
      { type: 'MODIFY', limitPrice: 5001.25 },
      { type: 'CANCEL', reason: 'ops' },
    ]);
  });

  it('answers 404, not 400, for an order that is not running', async () => {
    withOrders();
    expect((await post('order:gone', { type: 'CANCEL' })).statusCode).toBe(404);
  });
});
