import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { tracingSdkLoaded } from '../../src/tracing/index.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { startOtlpReceiver, type ReceivedSpan } from './otlpReceiver.ts';

const TOKEN = 'tracing-token';
let redis: PrivateRedis;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let main: MainProcess;

beforeAll(async () => {
  redis = await startPrivateRedis();
  receiver = await startOtlpReceiver();
  const config = loadConfig({ env: SIM_CLOCK_ENV, overrides: { redis: { url: redis.url }, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } } } });
  main = await startMainProcess(config, createSilentLogger(), {
    capabilities: ['broker', 'orders'],
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'tradewire-test' },
  });
});
afterAll(async () => {
  await main?.stop();
  await receiver?.close();
  await redis?.stop();
  redis?.remove();
});

describe('one order traced end to end (admin API → queue → order actor → broker), sent over OTLP/HTTP as JSON', () => {
  it('collects the spans of one order with their parentage and the order attributes', async () => {
    expect(tracingSdkLoaded()).toBe(true);
    const order = { clientOrderId: 'trace-1', account: 'DU1234567', instrument: { symbol: 'ES', expiry: '202703' }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice: 99_999, strategy: 'admin' };
    const submitted = await fetch(`${main.admin.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(order) });
    expect(submitted.status).toBe(202);
    await waitUntil(async () => (await main.orders!.service.store.load('trace-1'))?.state === 'filled', 'trace-1 filled');
    // Stopping flushes the batch: every span ended so far is sent before stop() settles.
    await main.stop();

    const spans = receiver.spans.filter((span) => span.name !== 'GET /health');
    const one = (name: string | RegExp): ReceivedSpan => {
      const found = spans.filter((span) => (typeof name === 'string' ? span.name === name : name.test(span.name)));
      expect(found, `spans named ${String(name)}: ${spans.map((span) => span.name).join(', ')}`).toHaveLength(1);
      return found[0]!;
    };
    expect(receiver.contentTypes).toEqual(new Set(['application/json']));
    const request = one('POST /orders');
    const producer = one(/^add orders\./);
    const pickup = one('orders process');
    const validate = one('order validate');
    const life = one('order');
    const placement = one('placeOrder');
    const acknowledged = one('order acknowledged');
    const fills = spans.filter((span) => span.name === 'order fill');
    expect(fills.length).toBeGreaterThan(0);

    const chain: [ReceivedSpan, ReceivedSpan][] = [
      [request, producer],
      [producer, pickup],
      [pickup, validate],
      [pickup, life],
      [pickup, placement],
      [placement, acknowledged],
      ...fills.map((fill): [ReceivedSpan, ReceivedSpan] => [placement, fill]),
    ];
    for (const [parent, child] of chain) {
      expect(child.parentSpanId, `${child.name} is a child of ${parent.name}`).toBe(parent.spanId);
      expect(child.traceId).toBe(request.traceId);
    }
    expect(request.parentSpanId).toBeUndefined();
    expect(request.kind).toBe(2); // SERVER
    expect(pickup.kind).toBe(5); // CONSUMER
    expect(request.service).toBe('tradewire-test');

    const orderAttributes = { 'tradewire.client_order_id': 'trace-1', 'tradewire.account': 'DU1234567', 'tradewire.symbol': 'ES', 'tradewire.contract_month': '202703' };
    for (const span of [pickup, life, placement, acknowledged, ...fills]) expect(span.attributes, span.name).toMatchObject(orderAttributes);
    expect(fills.reduce((sum, fill) => sum + (fill.attributes['tradewire.fill_quantity'] as number), 0)).toBe(1);
    expect(life.attributes['tradewire.outcome']).toBe('filled');
    expect(life.events).toContain('working');
    expect(life.events.at(-1)).toBe('filled');
  });
});
