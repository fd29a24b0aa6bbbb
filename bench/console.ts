/**
 * The operator console in headless Chromium, against a synthetic node (bench/_consoleNode.ts: the
 * console's routes with made-up data, the built console from dist/console) holding 1,000 open
 * orders and sending 100 order events/s:
 *
 * - first_render_ms: navigation start to the supervision tree's first row in the DOM (median of loads);
 * - update_lag_p99_ms: an order event written to the SSE socket to the blotter cell showing it (a
 *   MutationObserver in the page; both sides read the same wall clock), over the events that target
 *   rows on screen (half of them do; the rest land on rows scrolled away, which render nothing);
 * - page_heap_mb: the page's JS heap after a GC, at the end.
 */
import { ensureBuilt } from '../scripts/build.mjs';
import { launchChromium } from '../test/browser/chromium.ts';
import { startConsoleNode } from './_consoleNode.ts';
import { median, percentile, progress, round } from './_stats.ts';

const OPEN_ORDERS = 1_000;
const UPDATES_PER_SECOND = 100;

/** Records, in the page, when each blotter cell first shows a filled quantity (order id → filled → epoch ms). */
const OBSERVE_BLOTTER = `(() => {
  const seen = new Map();
  const shown = [];
  const firstTreeRow = { at: null };
  new MutationObserver(() => {
    const now = performance.timeOrigin + performance.now();
    if (firstTreeRow.at === null && document.querySelector('[data-tree-row]')) firstTreeRow.at = performance.now();
    for (const row of document.querySelectorAll('tr[data-order-id]')) {
      const text = row.querySelector('[data-filled]')?.textContent ?? '';
      const id = row.getAttribute('data-order-id');
      if (seen.get(id) !== text) {
        seen.set(id, text);
        shown.push([id, Number.parseInt(text, 10), now]);
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  window.__bench = { shown, firstTreeRow };
})()`;

/** What the page holds, as the functions evaluated in it see it (this file is type-checked without the DOM library). */
interface PageGlobals {
  __bench: { shown: [string, number, number][]; firstTreeRow: { at: number | null } };
  document: { body: { textContent: string | null } };
}

export async function run({ quick }: { quick: boolean }): Promise<Record<string, number>> {
  ensureBuilt();
  const node = await startConsoleNode(OPEN_ORDERS);
  const browser = await launchChromium();
  try {
    await browser.context.addInitScript(OBSERVE_BLOTTER);
    const page = await browser.context.newPage();

    const loads = quick ? 3 : 7;
    const renders: number[] = [];
    for (let i = 0; i < loads; i += 1) {
      // A query of its own per load: the same URL with only a hash would not load the page again.
      await page.goto(`${node.url}/?load=${i}#/tree`);
      renders.push((await (await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__bench.firstTreeRow.at, undefined, { timeout: 30_000 })).jsonValue()) as number);
    }
    progress(`first render (page load to the tree's first row): ${renders.map((ms) => round(ms, 1)).join(', ')} ms`);

    await page.goto(`${node.url}/#/orders`);
    await page.waitForSelector('tr[data-order-id]');
    await page.waitForFunction((open) => (globalThis as unknown as PageGlobals).document.body.textContent?.includes(`${open} open`), OPEN_ORDERS, { timeout: 30_000 });
    const seconds = quick ? 15 : 45;
    progress(`${OPEN_ORDERS} open orders in the blotter; ${UPDATES_PER_SECOND} order events/s for ${seconds} s`);
    // Half the events go to the 20 newest orders (the rows on screen), half anywhere.
    const sent = new Map<string, number>();
    const started = performance.now();
    let count = 0;
    while (performance.now() - started < seconds * 1_000) {
      const due = Math.floor(((performance.now() - started) / 1_000) * UPDATES_PER_SECOND);
      for (; count < due; count += 1) {
        const id = count % 2 === 0 ? node.newest[count % 20]! : node.newest[Math.floor(Math.random() * OPEN_ORDERS)]!;
        const { filled, sentAt } = node.update(id);
        sent.set(`${id}|${filled}`, sentAt);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const shown = await page.evaluate(() => (globalThis as unknown as PageGlobals).__bench.shown);
    // A frame may show several events of one row at once: each counts from its own send.
    const lags: number[] = [];
    const lastShown = new Map<string, number>();
    for (const [id, filled, at] of shown) {
      const from = (lastShown.get(id) ?? filled - 1) + 1;
      for (let f = from; f <= filled; f += 1) {
        const sentAt = sent.get(`${id}|${f}`);
        if (sentAt !== undefined && at >= sentAt) lags.push(at - sentAt);
      }
      lastShown.set(id, filled);
    }
    lags.sort((a, b) => a - b);
    progress(`${count} events sent, ${lags.length} measured on screen; lag p50 ${round(percentile(lags, 50), 1)} ms, max ${round(lags[lags.length - 1] ?? Number.NaN, 1)} ms`);

    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    await cdp.send('Performance.enable');
    const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    progress(`heap: used ${round(heap.usedSize / 1048576, 1)} MB of ${round(heap.totalSize / 1048576, 1)} MB; metrics JSHeapUsedSize ${round((metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1048576, 1)} MB, nodes ${metrics.metrics.find((m) => m.name === 'Nodes')?.value}`);
    return {
      first_render_ms: round(median(renders), 1),
      update_lag_p99_ms: round(percentile(lags, 99), 1),
      page_heap_mb: round(heap.usedSize / 1024 / 1024, 1),
    };
  } finally {
    await browser.close();
    await node.close();
  }
}
