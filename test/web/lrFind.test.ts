/**
 * The page's LR range test mode in headless Chromium: it runs one ramp in a Web Worker, shows the suggestions and the
 * charts, and its lr-find.json is the same, apart from timing and environment, as `fluctlab lr-find` running the command
 * the page prints.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webDir } from '../../src/cli/commands/serve.js';
import { startStaticServer } from '../../src/node/staticServer.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';
import { cli, tmp } from '../helpers/cli.js';

const chromium = requireBrowser('lr-find page');

describe.skipIf(!chromium)('the page in LR range test mode', () => {
  it('runs the ramp, shows suggestions and charts, and matches fluctlab lr-find bit for bit', async () => {
    if (!existsSync(join(webDir(), 'index.html'))) throw new Error(`${webDir()} has no page: run npm run build first`);
    const server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0, isolate: true });
    const context = await launchChromium(chromium!);
    let browser: Record<string, unknown>;
    let command: string;
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}?mode=lr-find&train-limit=3200&start=1e-4&steps=40`);
      await page.locator('body[data-state=ready][data-mode=lr-find]').waitFor();
      expect(await page.locator('#f-lrs').isVisible()).toBe(false);
      expect(await page.locator('#f-steps').isVisible()).toBe(true);
      expect(await page.locator('#run').innerText()).toBe('Run LR range test');
      command = await page.locator('#command').innerText();
      expect(command).toBe('fluctlab lr-find --start 0.0001 --steps 40 --train-limit 3200');
      // a bad field is refused next to it
      await page.fill('#f-end', '1e-5');
      expect(await page.locator('#e-end').innerText()).toMatch(/end must be above start/);
      expect(await page.locator('#run').isDisabled()).toBe(true);
      await page.fill('#f-end', '10');
      await page.click('#run');
      await page.locator('body[data-state=done]').waitFor({ timeout: 120_000 });
      expect(await page.locator('#status').innerText()).toMatch(
        /^done: LR range test in [\d.]+ s, stopped at step \d+/,
      );
      expect(await page.locator('#lrfind-suggestions tr[data-suggestion]').count()).toBe(3);
      await page
        .locator(
          '#lrfind-charts figure[data-chart="lr-find-participation"] svg, #lrfind-charts figure[data-chart="lr-find-participation"] canvas',
        )
        .first()
        .waitFor();
      expect(await page.locator('#lrfind-charts figure').count()).toBe(3);
      const download = page.waitForEvent('download');
      await page.click('#download-lrfind');
      browser = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
      await server.close();
    }
    const out = join(tmp(), 'lf');
    const r = cli([...command.split(' ').slice(1), '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    const node = JSON.parse(readFileSync(join(out, 'lr-find.json'), 'utf8'));
    const strip = (x: Record<string, unknown>) => JSON.stringify({ ...x, timing: null, environment: null });
    expect(strip(browser)).toBe(strip(node));
    expect((browser.environment as { runtime: string }).runtime).not.toBe(node.environment.runtime);
  });
});
