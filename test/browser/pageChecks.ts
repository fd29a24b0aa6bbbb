import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/console');

/** A panel as the README shows it: test-results/console/<panel>.png (docs/console/ holds the copies committed). */
export async function screenshot(page: Page, panel: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The outcomes of earlier actions would cover the panel.
  for (const dismiss of await page.locator('.notices button').all()) await dismiss.click();
  await page.screenshot({ path: path.join(SCREENSHOTS, `${panel}.png`) });
}

/** What the functions run in the page see (this folder is type-checked without the DOM library). */
interface PageElement {
  id: string;
  tagName: string;
  type?: string;
  textContent: string | null;
  labels?: { length: number } | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
}
interface PageDocument {
  activeElement: PageElement | null;
  querySelectorAll(selector: string): PageElement[];
}
/** Every visible form control with no label (a <label>, aria-label or aria-labelledby): should be none. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...(globalThis as unknown as { document: PageDocument }).document.querySelectorAll('input, select, textarea')]
      .filter((control) => control.type !== 'hidden' && !control.closest('dialog:not([open])'))
      .filter((control) => !(control.labels && control.labels.length > 0) && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby'))
      .map((control) => `${control.tagName.toLowerCase()}#${control.id}`),
  );
}

/** The focused element as a person would name it: its label, aria-label or text. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const focused = (globalThis as unknown as { document: PageDocument }).document.activeElement;
    if (!focused) return '';
    return focused.getAttribute('aria-label') ?? (focused.id ? `#${focused.id}` : '') + (focused.textContent ?? '').trim();
  });
}

/** Presses Tab until the focused element's name matches (at most `limit` presses): reachable by keyboard. */
export async function tabTo(page: Page, name: RegExp, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (name.test(await focusedName(page))) return;
  }
  throw new Error(`${name} not reached with ${limit} presses of Tab`);
}
