import { Queue } from 'bullmq';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreakRegistry } from '../../src/orders/breakRegistry.ts';
import { waitFor, waitUntil } from '../support/waitUntil.ts';
import { launchChromium } from './chromium.ts';
import { keysOf, OPERATOR_TOKEN, startConsoleNode, type ConsoleNode } from './consoleNode.ts';
import { screenshot, tabTo, unlabelledControls } from './pageChecks.ts';

// The operator console in headless Chromium against a real runtime (sim broker, demo strategy every
// 500 ms), on loopback: read-only until the operator logs in.
let node: ConsoleNode;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const requested: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  [node, browser] = await Promise.all([startConsoleNode('ui', { demoIntervalMs: 500 }), launchChromium()]);
  browser.context.on('request', (request: Request) => void requested.push(request.url()));
  page = await browser.context.newPage();
  page.on('pageerror', (error) => void problems.push(error.message));
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
});

const go = async (hash: string) => {
  await page.goto(`${node.url}/${hash}`);
  await page.locator('nav.tabs').waitFor();
};
const orderState = async (id: string) => ((await (await node.api('GET', `/orders/${id}`)).json()) as { state: string }).state;

/** A limit order 2% under the market, so it rests (working) until cancelled. */
async function restingOrder(clientOrderId: string): Promise<void> {
  const es = await waitFor(async () => {
    const { prices } = (await (await node.api('GET', '/prices')).json()) as { prices: { symbol: string; contractMonth: string; price: number | null }[] };
    const row = prices.find((price) => price.symbol === 'ES');
    return row?.price ? { price: row.price, contractMonth: row.contractMonth } : undefined;
  }, 'a price for ES');
  const limitPrice = Math.round(es.price * 0.98 * 4) / 4;
  const answer = await node.api('POST', '/orders', { clientOrderId, account: 'DU1234567', instrument: { symbol: 'ES', expiry: es.contractMonth }, side: 'BUY', quantity: 1, orderType: 'LMT', limitPrice, strategy: 'console-test' });
  expect(answer.status).toBe(202);
  await waitUntil(async () => (await orderState(clientOrderId)) === 'working', `${clientOrderId} working`);
}

describe('the operator console', () => {
  it('loads read-only on loopback; the login form is reachable and operable by keyboard, and the token goes in a POST body', async () => {
    await go('#/tree');
    await page.locator('[data-tree-row="root"]').waitFor();
    await expect.poll(() => page.locator('header.top').textContent()).toContain('read-only');
    expect(await page.locator('#halt-state button').isDisabled()).toBe(true);

    await tabTo(page, /^Log in$/);
    await page.keyboard.press('Enter');
    await page.locator('#login-token').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('login-token');
    expect(await page.getByLabel('Admin token').count()).toBe(1);
    await page.keyboard.type(OPERATOR_TOKEN);
    await screenshot(page, 'login');
    const login = page.waitForRequest((request) => request.url().endsWith('/session') && request.method() === 'POST');
    await page.keyboard.press('Enter');
    const sent = await login;
    expect(sent.url()).toBe(`${node.url}/session`);
    expect(JSON.parse(sent.postData() ?? '{}')).toEqual({ token: OPERATOR_TOKEN });
    await expect.poll(() => page.locator('header.top').textContent()).toContain('Logged in: operator');
    expect(requested.some((url) => url.includes(OPERATOR_TOKEN))).toBe(false);
    const cookies = await browser.context.cookies(node.url);
    expect(cookies.find((cookie) => cookie.name === 'tw_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('shows the supervision tree live: a restart flashes its row and appears in the feed', async () => {
    await go('#/tree');
    await page.locator('[data-tree-row="ib"]').waitFor();
    await restingOrder('console-crash-1');
    await page.locator('[data-tree-row="order:console-crash-1"]').waitFor();
    expect((await node.api('POST', '/testing/orders/console-crash-1/crash')).status).toBe(202);
    expect((await node.api('POST', '/orders/console-crash-1/modify', { quantity: 2 })).status).toBe(202);
    await page.locator('.feed-entry.restart', { hasText: 'order:console-crash-1' }).waitFor();
    await page.locator('tr.flash[data-tree-row="order:console-crash-1"]').waitFor();
    await page.locator('tr[data-tree-row="order:console-crash-1"] td.restarts', { hasText: '1' }).waitFor({ timeout: 5_000 });
    await screenshot(page, 'tree');
    expect((await node.api('POST', '/orders/console-crash-1/cancel')).status).toBe(202);
  });

  it('shows a demo order appearing and filling in the blotter', async () => {
    await go('#/orders');
    await page.locator('tr[data-order-id]').first().waitFor();
    const before = new Set(await page.locator('tr[data-order-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order-id'))));
    // A market order the demo sends after the page loaded, seen filled without a reload.
    const filled = page.locator('tr[data-order-id^="demo-"]:has([data-state="filled"])');
    const fresh = await waitFor(async () => {
      const ids = await filled.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order-id')));
      return ids.find((id) => id !== null && !before.has(id));
    }, 'a new demo order filled in the blotter');
    expect(await orderState(fresh)).toBe('filled');
    expect(await unlabelledControls(page)).toEqual([]);

    // Live updates never move focus: new orders arrive above a focused row, and focus stays put.
    const history = page.getByRole('button', { name: `History of ${fresh}` });
    await history.focus();
    const focusedNow = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label') ?? null);
    const shown = async () => Number.parseInt((await page.locator('#orders-count').textContent()) ?? '', 10);
    const earlier = await shown();
    await waitUntil(async () => (await shown()) >= earlier + 3, 'three more orders in the blotter');
    expect(await focusedNow()).toBe(`History of ${fresh}`);
    await screenshot(page, 'orders');
  });

  it('cancels a resting order from the blotter', async () => {
    await restingOrder('console-rest-1');
    // selectOption waits for the strategy to appear among the options (the order's event brings it).
    await page.selectOption('#orders-strategy', 'console-test');
    const row = page.locator('tr[data-order-id="console-rest-1"]');
    await row.locator('[data-state="working"]').waitFor();
    await row.getByRole('button', { name: 'Cancel console-rest-1' }).click();
    await page.locator('#cancel-dialog').getByRole('button', { name: 'Cancel the order' }).click();
    await row.locator('[data-state="cancelled"]').waitFor();
    expect(await orderState('console-rest-1')).toBe('cancelled');
  });

  it("draws the order machine and follows its active state live", async () => {
    await restingOrder('console-rest-2');
    await go('#/statecharts?actor=order:console-rest-2');
    await page.locator('g.state.active[data-state-id="order.working"]').waitFor();
    await expect.poll(() => page.locator('g.state.active').count()).toBe(1);
    await screenshot(page, 'statecharts');
    expect((await node.api('POST', '/orders/console-rest-2/cancel')).status).toBe(202);
    await page.locator('g.state.active[data-state-id="order.cancelled"]').waitFor();
    expect(await page.locator('g.state.active[data-state-id="order.working"]').count()).toBe(0);

    // Nesting and parallel regions: the IB connection, every region's active state highlighted.
    await go('#/statecharts?actor=ib');
    await page.locator('g.state.active[data-state-id="ib-connection.connected"]').waitFor();
    await screenshot(page, 'statecharts-parallel');
  });

  it('halts and resumes order intake from the halt switch, by keyboard; the halt shows on every page', async () => {
    await go('#/market-data');
    await tabTo(page, /^Halt/);
    await page.keyboard.press('Enter');
    await page.locator('#halt-reason').waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.keyboard.type('console test: checking the kill switch');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // also cancel every working order
    await page.locator('#halt-cancel-all:checked').waitFor();
    await page.locator('#halt-reason').press('Enter');
    await expect.poll(() => page.locator('#halt-state').textContent()).toContain('ORDER INTAKE HALTED');
    await expect.poll(() => page.locator('#halt-state').textContent()).toContain('checking the kill switch');
    expect(((await (await node.api('GET', '/halt')).json()) as { halted: boolean }).halted).toBe(true);
    await go('#/positions');
    await expect.poll(() => page.locator('#halt-state').textContent()).toContain('ORDER INTAKE HALTED');
    await screenshot(page, 'halt');

    await tabTo(page, /^Resume/);
    await page.keyboard.press('Enter');
    await page.locator('#resume-reason').waitFor();
    await page.keyboard.type('checked');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#halt-state').textContent()).toContain('Order intake running');
    expect(((await (await node.api('GET', '/halt')).json()) as { halted: boolean }).halted).toBe(false);
  });

  it('a request from the page without the cookie, or without the CSRF header, changes nothing', async () => {
    await restingOrder('console-rest-3');
    const statuses = await page.evaluate(async () => {
      const post = (path: string, init: { credentials: 'omit' | 'same-origin' }) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'forged' }), ...init }).then(async (answer) => `${answer.status} ${((await answer.json()) as { error?: { code: string } }).error?.code}`);
      return {
        haltWithoutCookie: await post('/halt', { credentials: 'omit' }),
        cancelWithoutCookie: await post('/orders/console-rest-3/cancel', { credentials: 'omit' }),
        haltWithoutCsrf: await post('/halt', { credentials: 'same-origin' }),
        cancelWithoutCsrf: await post('/orders/console-rest-3/cancel', { credentials: 'same-origin' }),
      };
    });
    expect(statuses.haltWithoutCookie).toMatch(/^401 /);
    expect(statuses.cancelWithoutCookie).toMatch(/^401 /);
    expect(statuses).toMatchObject({ haltWithoutCsrf: '403 csrf_required', cancelWithoutCsrf: '403 csrf_required' });
    expect(((await (await node.api('GET', '/halt')).json()) as { halted: boolean }).halted).toBe(false);
    expect(await orderState('console-rest-3')).toBe('working');
    expect((await node.api('POST', '/orders/console-rest-3/cancel')).status).toBe(202);
  });

  it('shows connections, market data with sparklines, and positions with a break to clear', async () => {
    await go('#/connections');
    await expect.poll(() => page.locator('.account-badge.large').textContent()).toBe('PAPER');
    await expect.poll(() => page.locator('main').textContent()).toContain('ACTIVE');
    await screenshot(page, 'connections');

    await go('#/market-data');
    // Three polls of GET /prices draw a line.
    await page.locator('tr[data-symbol="ES"] svg.sparkline polyline').waitFor({ timeout: 10_000 });
    await screenshot(page, 'market-data');

    // A position the demo (which trades ES) leaves alone, and a break.
    const bought = await node.api('POST', '/orders', { clientOrderId: 'console-zn-1', account: 'DU1234567', instrument: { symbol: 'ZN' }, side: 'BUY', quantity: 3, orderType: 'MKT', strategy: 'console-test' });
    expect(bought.status).toBe(202);
    await waitUntil(async () => (await orderState('console-zn-1')) === 'filled', 'console-zn-1 filled');
    const registry = new BreakRegistry(node.redis, `${keysOf(node).ordersPrefix}:breaks`);
    await registry.record({ symbol: 'GC', kind: 'overfill', detail: 'console test: an execution beyond the order', at: new Date().toISOString() });
    await go('#/positions');
    const clear = page.getByRole('button', { name: 'Clear break…' });
    await clear.waitFor({ timeout: 10_000 });
    // The broker's figures are read at most once a second: wait until they agree with the book.
    await page.locator('tbody tr:not(.break-row) th', { hasText: 'ZN' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'positions');
    await clear.click();
    await page.locator('#clear-reason').fill('checked with the broker');
    await page.getByRole('button', { name: 'Clear the break' }).click();
    await page.getByText('No open breaks').waitFor({ timeout: 10_000 });
  });

  it('lists queues and dead letters, and opens Bull Board at /queues', async () => {
    const orders = new Queue('orders', { connection: node.redis.duplicate(), prefix: keysOf(node).bullPrefix });
    await orders.add('garbage', { console: 'not an order' });
    await orders.close();
    await go('#/queues?queue=orders');
    await page.locator('#dead-title').waitFor();
    await page.locator('td.reason').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'queues');

    const [board] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: /Bull Board/ }).click()]);
    await board.waitForLoadState('load');
    expect(board.url()).toBe(`${node.url}/queues`);
    await expect.poll(() => board.locator('body').textContent()).toMatch(/orders/);
    await board.close();
  });

  it('shows reports and verifies the audit trail', async () => {
    // The day close files a large-trader report (to the test's own outbox folder).
    expect((await node.api('POST', '/actors/regulatory-monitor/events', { type: 'CLOSE_DAY' })).status).toBe(202);
    await go('#/reports');
    await page.locator('.pill.filing').first().waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Verify the hash chain' }).click();
    await page.locator('.verify-result.ok').waitFor({ timeout: 15_000 });
    await screenshot(page, 'reports');
  });

  it('labels every control on every page', async () => {
    for (const hash of ['#/tree', '#/statecharts?actor=ib', '#/connections', '#/market-data', '#/orders', '#/positions', '#/queues?queue=orders', '#/reports']) {
      await go(hash);
      await page.locator('main .card').first().waitFor();
      expect({ hash, unlabelled: await unlabelledControls(page) }).toEqual({ hash, unlabelled: [] });
    }
  });

  it('loaded nothing from outside the admin server, and threw nothing', () => {
    const origin = new URL(node.url).origin;
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
