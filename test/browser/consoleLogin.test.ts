import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { READ_TOKEN, startConsoleNode, type ConsoleNode } from './consoleNode.ts';
import { unlabelledControls } from './pageChecks.ts';

// Bound beyond loopback, the admin API answers reads only with a credential: the console shows the
// login form and nothing else until one is given.
let node: ConsoleNode;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  [node, browser] = await Promise.all([startConsoleNode('login', { host: '0.0.0.0', capabilities: [] }), launchChromium()]);
  page = await browser.context.newPage();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
});

const readFromPage = (path: string) => page.evaluate((route) => fetch(route).then((answer) => answer.status), path);

describe('the console beyond loopback', () => {
  it('shows only the login form until a token is given; a wrong one is refused', async () => {
    await page.goto(`${node.url}/`);
    await page.locator('#login-token').waitFor();
    expect(await page.locator('nav.tabs').count()).toBe(0);
    expect(await readFromPage('/actors')).toBe(401);
    expect(await unlabelledControls(page)).toEqual([]);
    await page.keyboard.type('not-the-token');
    await page.keyboard.press('Enter');
    await page.getByText('That token was not accepted.').waitFor();
    expect(await page.locator('nav.tabs').count()).toBe(0);
  });

  it('with the read token: the panels show, every action is disabled, and a forged mutation is refused', async () => {
    await page.locator('#login-token').fill(READ_TOKEN);
    await page.locator('#login-token').press('Enter');
    await page.locator('[data-tree-row="root"]').waitFor();
    await expect.poll(() => page.locator('header.top').textContent()).toContain('Logged in: read-only');
    expect(await readFromPage('/actors')).toBe(200);
    expect(await page.locator('#halt-state button').isDisabled()).toBe(true);
    const csrf = await page.evaluate(() => fetch('/session').then(async (answer) => ((await answer.json()) as { csrfToken: string }).csrfToken));
    const forged = await page.evaluate(
      (token) => fetch('/halt', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': token }, body: JSON.stringify({ reason: 'read role' }) }).then((answer) => answer.status),
      csrf,
    );
    expect(forged).toBe(403);
    expect(((await (await node.api('GET', '/halt')).json()) as { halted: boolean }).halted).toBe(false);
  });

  it('logging out ends the session: the login form again, reads refused', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('#login-token').waitFor();
    expect(await readFromPage('/actors')).toBe(401);
  });
});
