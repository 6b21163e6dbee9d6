/**
 * The service-worker option for hosts that cannot send COOP/COEP headers:
 * served without them (like GitHub Pages), the page is not isolated and still
 * trains single-threaded; opened with ?isolate it registers coi-sw.js, reloads
 * once and is cross-origin isolated from then on; ?isolate=off undoes it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDir } from '../../src/cli/commands/serve.js';
import { startStaticServer, type StaticServer } from '../../src/node/staticServer.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';

const chromium = requireBrowser('isolation');

/** crossOriginIsolated of the page, false while it is navigating. */
const isolated = (page: Page) => page.evaluate(() => crossOriginIsolated).catch(() => false);

describe.skipIf(!chromium)('the isolation service worker', () => {
  let server: StaticServer;
  beforeAll(async () => {
    if (!existsSync(join(webDir(), 'index.html'))) throw new Error(`${webDir()} has no page: run npm run build first`);
    server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0, isolate: false });
  });
  afterAll(() => server?.close());

  it('isolates a page its host left unisolated, after one reload, and can be switched off', async () => {
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}?train-limit=640&lrs=0.1`);
      await page.locator('body[data-state=ready]').waitFor();
      expect(await isolated(page)).toBe(false);
      expect(await page.locator('[data-env=isolation]').innerText()).toMatch(/^not isolated/);

      await page.goto(`${server.url}?isolate&train-limit=640&lrs=0.1`);
      await expect.poll(() => isolated(page), { timeout: 20_000 }).toBe(true);
      await page.locator('body[data-state=ready]').waitFor();
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/coi-sw\.js$/);
      await page.click('#run');
      await page.locator('body[data-state=done]').waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-env=isolation]').innerText()).toMatch(/^cross-origin isolated/);

      await page.goto(server.url); // the worker stays: later visits are isolated without the parameter
      expect(await isolated(page)).toBe(true);
      await page.goto(`${server.url}?isolate=off`);
      await page.waitForURL(server.url); // it unregisters the worker, then reloads without the parameter
      await page.locator('body[data-state=ready]').waitFor();
      expect(await isolated(page)).toBe(false);
      expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
    }
  });
});
