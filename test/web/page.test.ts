/**
 * The page in headless Chromium: bad form values are refused next to their
 * field and nothing runs; the default sweep runs to the end through
 * `fluctlab serve`, with live charts, the report and no console errors (the
 * screenshot is kept for a person to look at).
 */
import { copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { webDir } from '../../src/cli/commands/serve.js';
import { startStaticServer } from '../../src/node/staticServer.js';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';
import { serveCli } from '../helpers/cli.js';

const chromium = requireBrowser('page');

/** Line marks drawn inside `selector` with at least `points` points each. */
function lineMarks(page: Page, selector: string, points: number): Promise<number> {
  return page.$$eval(
    `${selector} path`,
    (paths, min) =>
      paths.filter((p) => p.closest('.mark-line') && (p.getAttribute('d')?.split(/[LM]/).length ?? 0) > min).length,
    points,
  );
}

describe.skipIf(!chromium)('the page', () => {
  beforeAll(() => {
    if (!existsSync(join(webDir(), 'index.html'))) throw new Error(`${webDir()} has no page: run npm run build first`);
  });

  it('refuses non-numeric and out-of-range values next to their fields and runs nothing until they are fixed', async () => {
    const server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0 });
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const dataRequests: string[] = [];
      page.on('request', (r) => r.url().includes('/data/') && dataRequests.push(r.url()));
      await page.goto(server.url);
      await page.locator('body[data-state=ready]').waitFor();
      await page.fill('#f-lrs', '0.1,abc');
      await page.fill('#f-epochs', '0');
      await page.fill('#f-train-limit', '99999');
      await expect
        .poll(() => page.locator('#e-lrs').innerText())
        .toBe('"abc" is not a number: use positive numbers separated by commas: e.g. 0.1,0.01');
      expect(await page.locator('#e-epochs').innerText()).toBe('"0" must be a whole number from 1 to 100: e.g. 1');
      expect(await page.locator('#e-train-limit').innerText()).toBe(
        '"99999" must be a whole number from 1 to 60000: e.g. 6000',
      );
      expect(await page.getAttribute('#f-lrs', 'aria-invalid')).toBe('true');
      expect(await page.isDisabled('#run')).toBe(true);
      await page.press('#f-epochs', 'Enter'); // no implicit submission while Run is disabled
      await page.evaluate(() => (document.getElementById('sweep-form') as HTMLFormElement).requestSubmit()); // nor when forced
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-lrs'); // focus goes to the first wrong field
      expect(await page.getAttribute('body', 'data-state')).toBe('ready');
      expect(await page.isHidden('#live')).toBe(true);

      await page.fill('#f-lrs', '0.1');
      await page.fill('#f-epochs', '1');
      await page.fill('#f-train-limit', '640');
      await expect.poll(() => page.locator('#command').innerText()).toContain('--lr 0.1 --train-limit 640');
      expect(await page.locator('[data-error-for]:not(:empty)').count()).toBe(0);
      expect(await page.isEnabled('#run')).toBe(true);
      expect(dataRequests).toEqual([]); // nothing was loaded, let alone trained
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
      await server.close();
    }
  });

  it('offers shapes in the Data field: refuses a bad spec next to it, suggests the paper study, keeps what the user typed', async () => {
    const server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0 });
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(server.url);
      await page.locator('body[data-state=ready]').waitFor();
      const values = () =>
        page.evaluate(() =>
          ['model', 'optimizer', 'lrs', 'epochs'].map(
            (id) => (document.getElementById(`f-${id}`) as HTMLInputElement).value,
          ),
        );
      await page.fill('#f-data', 'shapes:train=many');
      await expect
        .poll(() => page.locator('#e-data').innerText())
        .toBe('shapes parameter train="many" is not a number: e.g. train=512');
      expect(await page.getAttribute('#f-data', 'aria-invalid')).toBe('true');
      expect(await page.isDisabled('#run')).toBe(true);
      expect(await values()).toEqual(['ae:128,32', 'adam', '0.01,0.001,0.0001', '50']); // suggested as soon as the field names shapes

      await page.fill('#f-data', 'shapes:train=256');
      await expect.poll(() => page.locator('#e-data').innerText()).toBe('');
      expect(await page.getAttribute('#f-train-limit', 'placeholder')).toBe('all 256');
      expect(await page.locator('#command').innerText()).toBe(
        'fluctlab sweep --data shapes:train=256 --lr 0.01,0.001,0.0001 --epochs 50 --model ae:128,32 --optimizer adam',
      );
      await page.fill('#f-model', 'ae:64,16'); // the user's own model stays when the data changes back
      await page.fill('#f-data', 'mnist');
      await expect.poll(values).toEqual(['ae:64,16', 'sgd', '1,0.3,0.1,0.03,0.01,0.003,0.001,0.0001', '1']);
      expect(await page.getAttribute('#f-train-limit', 'placeholder')).toBe('all 60000');

      // from the URL: fields it names are kept, the others suggested
      await page.goto(`${server.url}?data=shapes&model=ae:32,8`);
      await page.locator('body[data-state=ready]').waitFor();
      expect(await values()).toEqual(['ae:32,8', 'adam', '0.01,0.001,0.0001', '50']);
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
      await server.close();
    }
  });

  it('stops a running sweep on Stop, and runs again afterwards', async () => {
    const server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0 });
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}?lrs=0.1,0.01&epochs=5`);
      await page.click('#run');
      await page.locator('#runs tr[data-status=running]').first().waitFor({ timeout: 60_000 });
      await page.click('#stop');
      await page.locator('body[data-state=stopped]').waitFor();
      expect(await page.locator('#status').innerText()).toBe('stopped: nothing was kept from the unfinished runs');
      expect(await page.isHidden('#report')).toBe(true);
      await page.fill('#f-epochs', '1');
      await page.fill('#f-train-limit', '640');
      await page.click('#run');
      await page.locator('body[data-state=done]').waitFor({ timeout: 60_000 });
      expect(await page.$$eval('#runs tbody tr', (rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual([
        'ok',
        'ok',
      ]);
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
      await server.close();
    }
  });

  it('runs the default sweep to the end through fluctlab serve: live charts, report, no console errors', {
    timeout: 300_000,
  }, async () => {
    const server = await serveCli([]);
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(server.url);
      await page.locator('body[data-state=ready]').waitFor();
      await expect.poll(() => page.locator('[data-env=simd]').innerText(), { timeout: 30_000 }).toBe('yes');
      expect(await page.locator('[data-env=backend]').innerText()).toBe('TensorFlow.js wasm');
      expect(await page.locator('[data-env=isolation]').innerText()).toMatch(/^cross-origin isolated/);
      await page.click('#run');
      await page.locator('body[data-state=running]').waitFor();
      await page.locator('body[data-state=done]').waitFor({ timeout: 240_000 });

      const statuses = await page.$$eval('#runs tbody tr', (rows) => rows.map((r) => r.getAttribute('data-status')));
      expect(statuses).toHaveLength(8);
      for (const s of statuses) expect(['ok', 'diverged']).toContain(s);
      // every run that did not diverge drew a loss line (a point per progress event, at most 4 a second: a run of the
      // default sweep takes a second or two), and a fluctuation line unless its units all died (η = 1 may: its Δ is
      // then exactly 0, which the log axis cannot show, and it ends at chance, 10%)
      const ok = statuses.filter((s) => s === 'ok').length;
      const [lossLines, fluctLines] = [await lineMarks(page, '#live-loss', 2), await lineMarks(page, '#live-fluct', 2)];
      // report.html's outcome table, the same rows: one per learning rate, largest first, the best starred
      const outcome = await page.$$eval('#report-charts table.outcome-table tr', (rows) =>
        rows.map((r) => ({ cls: r.className, cells: [...r.children].map((c) => c.textContent ?? '') })),
      );
      const learned = outcome.slice(1).filter((r) => Number.parseFloat(r.cells[2]) > 20).length;
      expect(lossLines).toBeGreaterThanOrEqual(ok);
      expect(fluctLines).toBeGreaterThanOrEqual(learned);
      expect(learned).toBeGreaterThanOrEqual(6);
      expect(outcome[0].cells).toEqual(['η', 'runs', 'test accuracy', 'per seed', 'test loss']);
      expect(outcome.slice(1).map((r) => r.cells[0].replace(' ★', ''))).toEqual([
        '1',
        '0.3',
        '0.1',
        '0.03',
        '0.01',
        '0.003',
        '0.001',
        '1e-4',
      ]);
      const best = outcome.filter((r) => r.cells[0].endsWith(' ★'));
      expect(best).toHaveLength(1);
      expect(best[0].cls).toBe('band');
      expect(best[0].cells[2]).toMatch(/^\d+\.\d%$/);
      const figures = await page.$$eval('#report-charts figure.chart', (fs) =>
        fs.map((f) => ({
          id: f.getAttribute('data-chart'),
          marks: f.querySelectorAll('svg [role=graphics-symbol], svg path').length,
        })),
      );
      expect(figures.map((f) => f.id)).toEqual(expect.arrayContaining(['accuracy', 'loss']));
      for (const f of figures) expect(f.marks, `chart ${f.id}`).toBeGreaterThan(3);
      expect(await page.locator('#status').innerText()).toMatch(/^done: 8 runs in/);

      const shot = join(tmpdir(), 'fluctlab-page-after-sweep.png');
      await page.screenshot({ path: shot, fullPage: true });
      if (process.env.FLUCTLAB_SCREENSHOT) copyFileSync(shot, process.env.FLUCTLAB_SCREENSHOT);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith(server.url) && !/^(blob|data):/.test(u))).toEqual([]); // nothing from elsewhere
      expect(requests.filter((u) => u.includes('/data/mnist/'))).toHaveLength(4); // MNIST loaded once for 8 runs
    } finally {
      await context.closeAll();
      expect(await server.stop()).toBe(0);
    }
  });
});
