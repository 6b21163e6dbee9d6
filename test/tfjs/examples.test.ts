/**
 * The examples of docs/tfjs.md run: the Node script (examples/tfjs/train.mjs: a CNN recorded with the callback and
 * reported, then swept over three learning rates) and the page (examples/tfjs/index.html: the CNN recorded in the
 * page, its windows shown) in headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, requireBrowser } from '../helpers/browser.js';
import { tmp } from '../helpers/cli.js';
import { serveCheckout } from './pageServer.js';

const ROOT = join(__dirname, '..', '..');
const chromium = requireBrowser('fluctlab/tfjs examples');

describe('the fluctlab/tfjs examples', () => {
  it('the Node script records a CNN, writes its report, and sweeps it', () => {
    const out = join(tmp(), 'ex');
    const r = spawnSync(process.execPath, [join(ROOT, 'examples', 'tfjs', 'train.mjs'), out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^conv2d1: RMS Δ \S+, participation ratio \S+, dead units \d+$/m);
    expect(r.stdout).toMatch(/^η 0\.01: test accuracy 0\.\d+$/m);
    for (const f of ['one/report.html', 'sweep/report.html', 'sweep/runs/lr0.03-seed1.json'])
      expect(existsSync(join(out, f))).toBe(true);
  });

  it.skipIf(!chromium)('the page records the CNN and shows its windows', async () => {
    const server = await serveCheckout();
    const context = await launchChromium(chromium!);
    try {
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}examples/tfjs/index.html`);
      await page
        .locator('body[data-state=done], body[data-state=failed]')
        .waitFor({ state: 'attached', timeout: 120_000 });
      expect(await page.locator('#status').innerText()).toMatch(/^done: 32 steps, training accuracy [\d.]+%$/);
      // 2 epochs of 16 batches in windows of 8 steps
      expect(await page.locator('#report tr[data-window]').count()).toBe(4);
      expect(await page.locator('#report th').first().innerText()).toBe('steps');
      expect(await page.locator('#download').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.closeAll();
      await server.close();
    }
  });
});
