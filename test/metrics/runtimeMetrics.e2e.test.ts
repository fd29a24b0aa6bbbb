import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createSilentLogger } from '../../src/log/logger.ts';
import { startMainProcess, type MainProcess } from '../../src/runtime/mainProcess.ts';
import { waitUntil } from '../support/waitUntil.ts';
import { redisUrlForDb } from '../support/redisUrl.ts';
import { SIM_CLOCK_ENV } from '../support/simClock.ts';
import { readFileSync } from 'node:fs';
import { conventionViolations, familyOf, metricNamesIn, parseExposition, type Family } from './exposition.ts';

// A namespace of its own on a database few suites use; only its keys are removed afterwards.
const REDIS_URL = redisUrlForDb(14);
const NAMESPACE = `metrics-${process.pid}-${Date.now().toString(36)}`;
const TOKEN = 'metrics-token';
let main: MainProcess;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  const config = loadConfig({
    env: SIM_CLOCK_ENV,
    overrides: { namespace: NAMESPACE, redis: { url: REDIS_URL }, admin: { port: 0, token: TOKEN }, orders: { demo: { enabled: false } } },
  });
  main = await startMainProcess(config, createSilentLogger(), {});
  await main.whenActive();
}, 30_000);
afterAll(async () => {
  await main?.stop();
  const keys = await redis.keys(`*${NAMESPACE}*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  redis.disconnect();
});

const order = (clientOrderId: string, quantity: number) => ({
  clientOrderId,
  account: 'DU1234567',
  instrument: { symbol: 'ES', expiry: '202703' },
  side: 'BUY',
  quantity,
  orderType: 'MKT',
  strategy: 'metrics',
});
const submit = async (body: unknown) => {
  const response = await fetch(`${main.admin.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(202);
};
const stateOf = async (id: string) => (await main.orders!.service.store.load(id))?.state;
const scrape = async () => parseExposition(await (await fetch(`${main.admin.url}/metrics`)).text());
const value = (family: Family | undefined, labels: Record<string, string> = {}, sample = family?.name) =>
  family?.samples.find((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('GET /metrics of a running runtime', () => {
  let families: Map<string, Family>;

  beforeAll(async () => {
    await submit(order('met-fill', 1));
    await submit(order('met-reject', 1_000_000));
    await waitUntil(async () => (await stateOf('met-fill')) === 'filled' && (await stateOf('met-reject')) === 'rejected', 'one order filled, one rejected', 10_000);
    // Fills, commissions and the regulatory book follow the fill's publication: wait for all three.
    await waitUntil(async () => {
      families = await scrape();
      return (
        (value(families.get('tradewire_fills_total')) ?? 0) >= 1 &&
        (families.get('tradewire_commissions_total')?.samples.length ?? 0) > 0 &&
        value(families.get('tradewire_cftc_position_level_ratio'), { account: 'DU1234567', symbol: 'ES', contract_month: '202703' }) !== undefined
      );
    }, 'the fill counted, its commission and its position in the regulatory book', 10_000);
  }, 30_000);

  it('follows the naming conventions in every family', () => {
    expect(families.size).toBeGreaterThan(40);
    expect(conventionViolations(families.values())).toEqual([]);
  });

  it('counts orders by outcome, rejections by reason class and refusals by check', () => {
    const orders = families.get('tradewire_orders_total');
    expect(orders?.type).toBe('counter');
    expect(value(orders, { outcome: 'filled', reason: 'none' })).toBe(1);
    expect(value(orders, { outcome: 'rejected', reason: 'pre_trade' })).toBe(1);
    expect(value(orders, { outcome: 'cancelled', reason: 'none' })).toBe(0);
    // Bounded: four outcomes, the rejected one split by six classes.
    expect(orders?.samples.length).toBe(3 + 6);
    expect(value(families.get('tradewire_pretrade_refusals_total'), { check: 'max_order_size' })).toBe(1);
    expect(value(families.get('tradewire_fills_total'))).toBe(1);
    const commissions = families.get('tradewire_commissions_total')!;
    expect(commissions.samples.map((s) => s.labels.currency)).toEqual(['USD']);
    expect(commissions.samples[0]!.value).toBeGreaterThan(0);
  });

  it('times the filled order once from pickup to socket and from socket to the broker', () => {
    for (const name of ['tradewire_order_route_seconds', 'tradewire_order_ack_seconds']) {
      const histogram = families.get(name);
      expect(histogram?.type).toBe('histogram');
      expect(value(histogram, {}, `${name}_count`)).toBe(1);
      const sum = value(histogram, {}, `${name}_sum`)!;
      // Seconds, not milliseconds: one local order is well under a few seconds.
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(5);
    }
  });

  it('reads queue depths by state, with dead letters, for every queue', () => {
    const queues = families.get('tradewire_queue_jobs')!;
    expect(queues.type).toBe('gauge');
    for (const queue of ['orders', 'reports', 'regulatory-close']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'dead']) expect(value(queues, { queue, state }), `${queue} ${state}`).toBeGreaterThanOrEqual(0);
    }
    expect(value(queues, { queue: 'fills', state: 'waiting' })).toBeGreaterThanOrEqual(0);
    expect(value(queues, { queue: 'fills', state: 'dead' })).toBeUndefined();
  });

  it('shows each CFTC position as a fraction of its reportable level', () => {
    const ratio = value(families.get('tradewire_cftc_position_level_ratio'), { account: 'DU1234567', symbol: 'ES', contract_month: '202703' })!;
    // One contract against a level of hundreds at least: a small fraction, not a count.
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(0.01);
  });

  it('shows the lease role, the fencing token and takeovers, and the halt switch', () => {
    expect(value(families.get('tradewire_lease_role'), { role: 'active' })).toBe(1);
    expect(value(families.get('tradewire_lease_role'), { role: 'standby' })).toBe(0);
    expect(value(families.get('tradewire_lease_fencing_token'))).toBeGreaterThanOrEqual(1);
    expect(value(families.get('tradewire_lease_takeovers_total'))).toBe(1);
    expect(value(families.get('tradewire_intake_halted'), { cause: 'none' })).toBe(0);
  });

  it('serves every metric the Grafana dashboard (deploy/grafana/tradewire.json) queries', () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/tradewire.json', import.meta.url), 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(expressions.length).toBeGreaterThan(20);
    const unknown = expressions.flatMap(({ panel, expr }) => metricNamesIn(expr).filter((name) => familyOf(name, families) === undefined).map((name) => `${panel}: ${name}`));
    expect(unknown).toEqual([]);
    // Every new family is on the dashboard.
    const used = new Set(expressions.flatMap(({ expr }) => metricNamesIn(expr)).map((name) => familyOf(name, families)?.name));
    for (const name of ['tradewire_orders_total', 'tradewire_order_route_seconds', 'tradewire_order_ack_seconds', 'tradewire_fills_total', 'tradewire_commissions_total', 'tradewire_pretrade_refusals_total', 'tradewire_queue_jobs', 'tradewire_intake_halted', 'tradewire_lease_role', 'tradewire_lease_fencing_token', 'tradewire_lease_takeovers_total', 'tradewire_cftc_position_level_ratio']) {
      expect(used, name).toContain(name);
    }
  });
});
